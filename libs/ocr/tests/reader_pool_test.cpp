// The pool: engines loaded once, a bounded queue (kUnavailable when full), results by future or
// callback, the page deadline, and a shutdown that leaves no caller waiting.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "atelier/ocr/reader.hpp"
#include "samples.hpp"

namespace atelier::ocr {
namespace {

using namespace std::chrono_literals;

ReaderOptions options_with(int workers, int max_queued) {
  ReaderOptions options;
  options.workers = workers;
  options.max_queued = max_queued;
  return options;
}

std::vector<std::byte> one_line_png() {
  return samples::png(samples::small_sheet({"Procès-verbal de réception"}));
}

// Holds the worker inside its progress callback, once its first page is read, until released, so
// that the test knows, without sleeping, that the worker is busy.
struct Gate {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();

  ProgressFn progress() {
    return [this](const Progress& p) {
      if (p.page == 0) {
        return;  // opened, nothing read yet
      }
      entered.set_value();
      released.wait();
    };
  }
};

TEST(ReaderPool, QueueBeyondItsBoundIsRefusedWithUnavailable) {
  auto pool = ReaderPool::create(options_with(1, 1));
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  Gate gate;
  auto busy = (*pool)->submit(one_line_png(), "image/png", gate.progress());
  ASSERT_TRUE(busy.ok());
  gate.entered.get_future().wait();  // the only worker is now inside the first document

  auto queued = (*pool)->submit(one_line_png(), "image/png");
  ASSERT_TRUE(queued.ok());
  auto refused = (*pool)->submit(one_line_png(), "image/png");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(refused.error().retry_after.has_value());
  const auto read = (*pool)->read(one_line_png(), "image/png");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::kUnavailable);

  gate.release.set_value();
  const auto first = busy->get();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_NE(first->front().text.find("réception"), std::string::npos) << first->front().text;
  EXPECT_TRUE(queued->get().ok());
  // Room again once the queue has drained.
  EXPECT_TRUE((*pool)->read(one_line_png(), "image/png").ok());
}

TEST(ReaderPool, SeveralWorkersReadDocumentsSideBySide) {
  auto pool = ReaderPool::create(options_with(2, 8));
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  EXPECT_EQ((*pool)->workers(), 2);
  std::vector<std::future<ReaderPool::Pages>> futures;
  for (int i = 0; i < 4; ++i) {
    auto f = (*pool)->submit(one_line_png(), "image/png");
    ASSERT_TRUE(f.ok());
    futures.push_back(std::move(f).value());
  }
  for (auto& f : futures) {
    const auto pages = f.get();
    ASSERT_TRUE(pages.ok()) << pages.error().message;
    EXPECT_NE(pages->front().text.find("Procès-verbal"), std::string::npos);
  }
}

TEST(ReaderPool, CallsBackWithTheResult) {
  auto pool = ReaderPool::create(options_with(1, 1));
  ASSERT_TRUE(pool.ok());
  std::promise<ReaderPool::Pages> done;
  ASSERT_TRUE((*pool)
                  ->enqueue(samples::bytes_of("not a document"), "",
                            [&](ReaderPool::Pages pages) { done.set_value(std::move(pages)); })
                  .ok());
  const auto pages = done.get_future().get();
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.error().code, ErrorCode::kInvalid);
}

TEST(ReaderPool, ShutdownFailsQueuedDocumentsAndRefusesNewOnes) {
  auto pool = ReaderPool::create(options_with(1, 4));
  ASSERT_TRUE(pool.ok());
  Gate gate;
  auto busy = (*pool)->submit(one_line_png(), "image/png", gate.progress());
  ASSERT_TRUE(busy.ok());
  gate.entered.get_future().wait();
  auto queued = (*pool)->submit(one_line_png(), "image/png");
  ASSERT_TRUE(queued.ok());

  std::thread stopper([&] { (*pool)->shutdown(); });
  const auto abandoned = queued->get();  // failed by shutdown() before it joins the worker
  ASSERT_FALSE(abandoned.ok());
  EXPECT_EQ(abandoned.error().code, ErrorCode::kUnavailable);
  gate.release.set_value();
  stopper.join();
  EXPECT_TRUE(busy->get().ok());  // its only page was done when shutdown began
  const auto late = (*pool)->submit(one_line_png(), "image/png");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kUnavailable);
}

TEST(ReaderPool, PageBeyondItsDeadlineTimesOut) {
  ReaderOptions options = options_with(1, 1);
  options.page_timeout = 1ms;  // layout analysis alone takes longer
  auto pool = ReaderPool::create(options);
  ASSERT_TRUE(pool.ok());
  const auto pages = (*pool)->read(samples::png(samples::a4_sheet()), "image/png");
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.error().code, ErrorCode::kTimeout);
}

TEST(ReaderPool, UnknownLanguageFailsAtCreation) {
  ReaderOptions options = options_with(2, 1);
  options.languages = "xyz";
  const auto pool = ReaderPool::create(options);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.error().code, ErrorCode::kInternal);
  EXPECT_NE(pool.error().message.find("xyz"), std::string::npos);
}

TEST(MakeReader, GivesAReaderBackedByAPool) {
  ReaderOptions options = options_with(1, 1);
  auto reader = make_reader(options);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  const auto pdf = samples::text_pdf({samples::small_sheet(samples::english_lines())});
  const auto pages = (*reader)->read(pdf, "application/pdf");
  ASSERT_TRUE(pages.ok());
  EXPECT_TRUE(pages->front().from_text_layer);
}

}  // namespace
}  // namespace atelier::ocr
