// OCR throughput on full A4 pages at 300 dpi (text drawn with cairo, French and English): the
// pool with one worker and with one per core, against the `tesseract` command on the same PNG
// files in the same run, one process per page as a script would call it.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "atelier/ocr/reader.hpp"
#include "samples.hpp"

namespace {

using namespace atelier;

constexpr int kPages = 4;  // per iteration: enough for every core to get one on small machines

int cores() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

struct Corpus {
  std::vector<std::byte> png;
  std::filesystem::path dir;
  std::vector<std::string> files;

  Corpus() {
    png = ocr::samples::png(ocr::samples::a4_sheet());
    dir =
        std::filesystem::temp_directory_path() / ("atelier-ocr-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    for (int i = 0; i < kPages; ++i) {
      files.push_back((dir / ("page-" + std::to_string(i) + ".png")).string());
      std::ofstream(files.back(), std::ios::binary)
          .write(reinterpret_cast<const char*>(png.data()),
                 static_cast<std::streamsize>(png.size()));
    }
  }
  ~Corpus() { std::filesystem::remove_all(dir); }
};

const Corpus& corpus() {
  static const Corpus c;
  return c;
}

void per_page(benchmark::State& state) {
  state.counters["s_per_page"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kPages,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_OcrPool(benchmark::State& state) {
  ocr::ReaderOptions options;
  options.workers = static_cast<int>(state.range(0));
  options.max_queued = kPages;
  auto pool = ocr::ReaderPool::create(options);
  if (!pool) {
    state.SkipWithError(pool.error().message.c_str());
    return;
  }
  const auto& png = corpus().png;
  for (auto _ : state) {
    std::vector<std::future<ocr::ReaderPool::Pages>> pending;
    for (int i = 0; i < kPages; ++i) {
      pending.push_back(std::move((*pool)->submit(png, "image/png")).value());
    }
    for (auto& f : pending) {
      auto pages = f.get();
      if (!pages) {
        state.SkipWithError(pages.error().message.c_str());
      }
      benchmark::DoNotOptimize(pages);
    }
  }
  per_page(state);
}
BENCHMARK(BM_OcrPool)->Arg(1)->Arg(cores())->Iterations(2)->UseRealTime()->Unit(benchmark::kSecond);

// `tesseract` as a shell script would run it, the same languages and page segmentation, with the
// environment of this process (OMP_THREAD_LIMIT included): `jobs` processes at a time.
void BM_TesseractCommand(benchmark::State& state) {
  const auto jobs = state.range(0);
  std::string command = "printf '%s\\n'";
  for (const auto& f : corpus().files) {
    command += " '" + f + "'";
  }
  command += " | xargs -P " + std::to_string(jobs) +
             " -I{} tesseract {} - -l fra+eng --psm 3 >/dev/null 2>&1";
  for (auto _ : state) {
    if (std::system(command.c_str()) != 0) {
      state.SkipWithError("tesseract failed");
    }
  }
  per_page(state);
}
BENCHMARK(BM_TesseractCommand)
    ->Arg(1)
    ->Arg(cores())
    ->Iterations(2)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
