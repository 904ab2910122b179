#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "atelier/core/log.hpp"
#include "atelier/ocr/reader.hpp"
#include "document.hpp"
#include "recogniser.hpp"

namespace atelier::ocr {

namespace {

struct Job {
  std::vector<std::byte> owned;      // the bytes, when the caller does not wait for the result
  std::span<const std::byte> bytes;  // into `owned`, or the caller's own bytes for read()
  std::string content_type;
  ProgressFn progress;
  ReaderPool::DoneFn done;
};

}  // namespace

struct ReaderPool::State {
  ReaderOptions options;
  int max_queued = 0;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Job> queue;
  bool closed = false;            // under mutex: no new jobs
  std::atomic<bool> stop{false};  // read by the engines between words
  std::vector<std::thread> threads;

  void work(std::unique_ptr<detail::Recogniser> recogniser);
  Result<void> push(Job job);
};

void ReaderPool::State::work(std::unique_ptr<detail::Recogniser> recogniser) {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex);
      wake.wait(lock, [&] { return closed || !queue.empty(); });
      if (queue.empty()) {
        return;
      }
      job = std::move(queue.front());
      queue.pop_front();
    }
    const detail::ReadContext ctx{
        .options = options,
        .recogniser = *recogniser,
        .progress = job.progress,
        .deadline = {.stop = &stop, .page_timeout = options.page_timeout},
    };
    Pages pages = Error::internal("the document could not be read");
    try {
      pages = detail::read_document(job.bytes, job.content_type, ctx);
    } catch (const std::exception& e) {
      // poppler and Tesseract may throw (std::bad_alloc on a huge page); the worker lives on.
      pages = Error::internal(std::string("reading the document failed: ") + e.what());
    }
    try {
      job.done(std::move(pages));
    } catch (...) {
      // An exception from the caller's callback has nowhere to go; the worker lives on.
      log::error("ocr.callback_threw");
    }
  }
}

Result<void> ReaderPool::State::push(Job job) {
  {
    std::lock_guard lock(mutex);
    if (closed) {
      return Error::unavailable("the reader is shutting down");
    }
    if (static_cast<int>(queue.size()) >= max_queued) {
      Error error =
          Error::unavailable("every OCR worker is busy and " + std::to_string(max_queued) +
                             " documents are waiting: try again later");
      error.retry_after = std::chrono::seconds(5);
      return error;
    }
    queue.push_back(std::move(job));
  }
  wake.notify_one();
  return {};
}

Result<std::unique_ptr<ReaderPool>> ReaderPool::create(const ReaderOptions& options) {
  detail::silence_libraries();
  auto state = std::make_unique<State>();
  state->options = options;
  int workers = options.workers;
  if (workers <= 0) {
    workers = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }
  state->max_queued = options.max_queued > 0 ? options.max_queued : 4 * workers;
  if (workers > 1 && std::getenv("OMP_THREAD_LIMIT") == nullptr) {
    log::warn("ocr.omp_thread_limit_unset")
        .field("workers", workers)
        .field("hint",
               "start the process with OMP_THREAD_LIMIT=1: each engine would otherwise "
               "start OpenMP threads of its own and oversubscribe the cores");
  }

  // Every engine loads in its own worker thread, all at once; create() returns when they have.
  std::vector<std::promise<std::optional<Error>>> loaded(static_cast<size_t>(workers));
  State* raw = state.get();
  for (auto& promise : loaded) {
    state->threads.emplace_back([raw, &promise] {
      auto recogniser = detail::Recogniser::create(raw->options);
      if (!recogniser) {
        promise.set_value(std::move(recogniser).error());
        return;
      }
      promise.set_value(std::nullopt);
      raw->work(std::move(recogniser).value());
    });
  }
  std::optional<Error> failure;
  for (auto& promise : loaded) {
    if (auto error = promise.get_future().get(); error && !failure) {
      failure = std::move(error);
    }
  }
  auto pool = std::unique_ptr<ReaderPool>(new ReaderPool(std::move(state)));
  if (failure) {
    pool->shutdown();
    return std::move(*failure);
  }
  return pool;
}

ReaderPool::ReaderPool(std::unique_ptr<State> state) : state_(std::move(state)) {}

ReaderPool::~ReaderPool() {
  shutdown();
}

int ReaderPool::workers() const {
  return static_cast<int>(state_->threads.size());
}

Result<void> ReaderPool::enqueue(std::vector<std::byte> bytes, std::string content_type,
                                 DoneFn done, ProgressFn progress) {
  Job job;
  job.owned = std::move(bytes);
  job.bytes = job.owned;
  job.content_type = std::move(content_type);
  job.progress = std::move(progress);
  job.done = std::move(done);
  return state_->push(std::move(job));
}

Result<std::future<ReaderPool::Pages>> ReaderPool::submit(std::vector<std::byte> bytes,
                                                          std::string content_type,
                                                          ProgressFn progress) {
  auto promise = std::make_shared<std::promise<Pages>>();
  auto future = promise->get_future();
  auto queued = enqueue(
      std::move(bytes), std::move(content_type),
      [promise](Pages pages) { promise->set_value(std::move(pages)); }, std::move(progress));
  if (!queued) {
    return std::move(queued).error();
  }
  return future;
}

ReaderPool::Pages ReaderPool::read(std::span<const std::byte> bytes, std::string_view content_type,
                                   const ProgressFn& progress) {
  std::promise<Pages> promise;
  auto future = promise.get_future();
  Job job;
  job.bytes = bytes;  // the caller waits below, so its bytes outlive the job
  job.content_type = std::string(content_type);
  job.progress = progress;
  job.done = [&promise](Pages pages) { promise.set_value(std::move(pages)); };
  if (auto queued = state_->push(std::move(job)); !queued) {
    return std::move(queued).error();
  }
  return future.get();
}

void ReaderPool::shutdown() {
  std::deque<Job> abandoned;
  {
    std::lock_guard lock(state_->mutex);
    state_->closed = true;
    abandoned.swap(state_->queue);
  }
  state_->stop = true;
  state_->wake.notify_all();
  for (auto& job : abandoned) {
    job.done(Error::unavailable("the reader is shutting down"));
  }
  for (auto& thread : state_->threads) {
    if (thread.joinable() && thread.get_id() != std::this_thread::get_id()) {
      thread.join();
    }
  }
}

Result<std::unique_ptr<Reader>> make_reader(const ReaderOptions& options) {
  auto pool = ReaderPool::create(options);
  if (!pool) {
    return std::move(pool).error();
  }
  return std::unique_ptr<Reader>(std::move(pool).value());
}

}  // namespace atelier::ocr
