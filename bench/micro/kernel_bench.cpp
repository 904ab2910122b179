// What one request costs the kernel before a handler runs: matching the route, making ids,
// formatting the access-log line. Each is compared in docs/performance.md with a plain baseline
// measured in the same run (a std::string copy of the same size, a bare atomic increment).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>

#include "atelier/core/log.hpp"
#include "atelier/core/uuid.hpp"
#include "atelier/http/router.hpp"

namespace {

using atelier::http::Method;

atelier::http::Router make_router() {
  atelier::http::Router router;
  auto ok = [](atelier::http::Request&) { return atelier::http::Response::no_content(); };
  for (const char* resource : {"projects", "tasks", "documents", "lots", "milestones", "budgets",
                               "invoices", "suppliers", "books", "scenes"}) {
    const std::string base = std::string("/api/v1/") + resource;
    router.add(Method::kGet, base, ok);
    router.add(Method::kPost, base, ok);
    router.add(Method::kGet, base + "/{id}", ok);
    router.add(Method::kPatch, base + "/{id}", ok);
    router.add(Method::kGet, base + "/{id}/history", ok);
  }
  router.add(Method::kGet, "/{*path}", ok);
  return router;
}

void BM_RouterMatchWithParam(benchmark::State& state) {
  const auto router = make_router();
  atelier::http::PathParams params;
  const std::string path = "/api/v1/scenes/0190f5e2-7a4b-7c3d-8e9f-0123456789ab/history";
  for (auto _ : state) {
    params.clear();
    benchmark::DoNotOptimize(router.match(Method::kGet, path, params));
  }
}
BENCHMARK(BM_RouterMatchWithParam);

void BM_BaselineStringCopy(benchmark::State& state) {
  const std::string path = "/api/v1/scenes/0190f5e2-7a4b-7c3d-8e9f-0123456789ab/history";
  for (auto _ : state) {
    std::string copy = path;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_BaselineStringCopy);

void BM_UuidV7(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(atelier::Uuid::v7().str());
  }
}
BENCHMARK(BM_UuidV7);

void BM_AccessLogLine(benchmark::State& state) {
  const int devnull = ::open("/dev/null", 1);
  atelier::log::init({.min_level = atelier::log::Level::kInfo,
                      .fd = devnull,
                      .async = true,
                      .max_buffered_bytes = 64u << 20});
  atelier::log::RequestScope scope("0190f5e2-7a4b-7c3d-8e9f-0123456789ab",
                                   "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  for (auto _ : state) {
    atelier::log::info("http.request")
        .field("method", "GET")
        .field("path", "/api/v1/projects")
        .field("route", "/api/v1/projects")
        .field("status", 200)
        .field("duration_us", 42)
        .field("bytes_out", 512);
  }
  atelier::log::shutdown();
  ::close(devnull);
}
BENCHMARK(BM_AccessLogLine);

void BM_BaselineAtomicIncrement(benchmark::State& state) {
  std::atomic<uint64_t> n{0};
  for (auto _ : state) {
    n.fetch_add(1, std::memory_order_relaxed);
  }
  benchmark::DoNotOptimize(n.load());
}
BENCHMARK(BM_BaselineAtomicIncrement);

}  // namespace

BENCHMARK_MAIN();
