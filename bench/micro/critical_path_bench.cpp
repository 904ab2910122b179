// What a full schedule costs (validation, topological sort, both passes, dates, critical paths)
// on generated construction-like networks of 1k, 10k and 100k tasks with about 3 links each, with
// the heap it needs. Compared in docs/performance.md with two references measured in the same
// run: std::sort of as many integers as there are tasks, and the topological sort alone.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <random>

#include "tasks/domain/calendar.hpp"
#include "tasks/domain/critical_path.hpp"

// Heap accounting for the memory counters: every allocation of this binary goes through here.
namespace {
std::atomic<std::int64_t> g_heap_now{0};
std::atomic<std::int64_t> g_heap_peak{0};

void* counted_alloc(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  const auto now = g_heap_now += static_cast<std::int64_t>(malloc_usable_size(p));
  std::int64_t peak = g_heap_peak.load(std::memory_order_relaxed);
  while (now > peak && !g_heap_peak.compare_exchange_weak(peak, now)) {
  }
  return p;
}

void counted_free(void* p) {
  if (p != nullptr) {
    g_heap_now -= static_cast<std::int64_t>(malloc_usable_size(p));
    std::free(p);
  }
}
}  // namespace

void* operator new(std::size_t size) {
  return counted_alloc(size);
}
void* operator new[](std::size_t size) {
  return counted_alloc(size);
}
void operator delete(void* p) noexcept {
  counted_free(p);
}
void operator delete[](void* p) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_free(p);
}

namespace {

using namespace atelier::tasks::domain;
using namespace std::chrono;

// Width of a layer: tasks that can run side by side (trades of one building, several buildings).
constexpr int kLayerWidth = 100;

// A layered network: each task past the first layer has 3 predecessors drawn from the three
// layers before it. 70 % FS, 10 % each of SS, FF, SF; lags from −2 to +5; durations 1 to 10 days
// with 5 % milestones; 1 % of tasks with a start-no-earlier-than. Deterministic.
Plan generate(int task_count) {
  std::mt19937 rng(20250303);
  Plan plan;
  plan.start = 2025y / March / 3;
  plan.tasks.reserve(static_cast<std::size_t>(task_count));
  plan.links.reserve(static_cast<std::size_t>(task_count) * 3);
  for (int i = 0; i < task_count; ++i) {
    TaskInput task;
    task.id = "T" + std::to_string(i);
    task.duration = rng() % 20 == 0 ? 0 : 1 + static_cast<int>(rng() % 10);
    if (rng() % 100 == 0) {
      task.constraint =
          Constraint{ConstraintKind::kStartNoEarlierThan, plan.start + days{(i / kLayerWidth) * 9}};
    }
    plan.tasks.push_back(std::move(task));
  }
  for (int i = kLayerWidth; i < task_count; ++i) {
    const int layer = i / kLayerWidth;
    const int first = std::max(0, layer - 3) * kLayerWidth;
    const int span = layer * kLayerWidth - first;
    int chosen[3] = {-1, -1, -1};
    for (int k = 0; k < 3; ++k) {
      int from = 0;
      do {
        from = first + static_cast<int>(rng() % static_cast<unsigned>(span));
      } while (from == chosen[0] || from == chosen[1]);
      chosen[k] = from;
      const unsigned roll = rng() % 10;
      const LinkType type = roll < 7    ? LinkType::kFinishToStart
                            : roll == 7 ? LinkType::kStartToStart
                            : roll == 8 ? LinkType::kFinishToFinish
                                        : LinkType::kStartToFinish;
      plan.links.push_back({static_cast<TaskIndex>(from), static_cast<TaskIndex>(i), type,
                            static_cast<int>(rng() % 8) - 2});
    }
  }
  return plan;
}

// Mon–Fri with the French public holidays over the decades the largest network spans.
const WorkingCalendar& calendar() {
  static const WorkingCalendar french = french_working_calendar(2025, 2100);
  return french;
}

double megabytes(std::int64_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

void BM_Schedule(benchmark::State& state) {
  const Plan plan = generate(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto schedule = compute_schedule(plan, calendar());
    benchmark::DoNotOptimize(schedule);
  }
  // One more run, outside the timed loop, to measure the heap it needs at its peak (result
  // included) and what it keeps (the result alone).
  const std::int64_t before = g_heap_now.load();
  g_heap_peak.store(before);
  auto schedule = compute_schedule(plan, calendar());
  const std::int64_t peak = g_heap_peak.load() - before;
  const std::int64_t kept = g_heap_now.load() - before;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_heap_MB"] = megabytes(peak);
  state.counters["result_MB"] = megabytes(kept);
  state.counters["input_MB"] = megabytes(static_cast<std::int64_t>(
      plan.tasks.capacity() * sizeof(TaskInput) + plan.links.capacity() * sizeof(Link)));
  state.counters["maxrss_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  state.counters["critical_paths"] = static_cast<double>(schedule->critical_paths.size());
  state.counters["finish_year"] =
      static_cast<double>(static_cast<int>(year_month_day{schedule->project_finish}.year()));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Schedule)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

// Reference: the topological sort alone (successor lists, Kahn), what any exact CPM must do.
void BM_TopologicalSortOnly(benchmark::State& state) {
  const Plan plan = generate(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto cycle = find_cycle(plan.tasks.size(), plan.links);
    benchmark::DoNotOptimize(cycle);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TopologicalSortOnly)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

// Reference: std::sort of as many random 32-bit integers as there are tasks (copy included).
void BM_SortIntegers(benchmark::State& state) {
  std::mt19937 rng(1);
  std::vector<std::uint32_t> input(static_cast<std::size_t>(state.range(0)));
  for (auto& v : input) {
    v = rng();
  }
  for (auto _ : state) {
    std::vector<std::uint32_t> copy = input;
    std::sort(copy.begin(), copy.end());
    benchmark::DoNotOptimize(copy.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SortIntegers)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
