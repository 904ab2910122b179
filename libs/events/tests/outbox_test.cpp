// The outbox, relay and consumer together, on SQLite and on PostgreSQL: events are published after
// their transaction commits, delivered at least once, and handled once.
#include "atelier/events/outbox.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "atelier/db/migrations.hpp"
#include "atelier/events/consumer.hpp"
#include "backend.hpp"

namespace atelier::events {
namespace {

using db::testing::BackendTest;

class OutboxTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    auto selected = db::select_migrations(migrations(), kind());
    ASSERT_TRUE(selected) << selected.error().message;
    auto applied = db::migrate(*db_, "events", *selected);
    ASSERT_TRUE(applied) << applied.error().message;
    script("CREATE TABLE calendars (project_id TEXT PRIMARY KEY, org_id TEXT NOT NULL)");
  }

  // Commits one business change with its event, or rolls both back.
  Result<void> create_project(const std::string& id, bool commit = true) {
    return db_->transact([&](db::Transaction& tx) -> Result<void> {
      auto e = CloudEvent::make("/services/projects", "projects.ProjectCreated.v1", id, "org-a",
                                "{\"project_id\":\"" + id + "\"}");
      if (auto r = append(tx, e); !r) {
        return r;
      }
      if (!commit) {
        return Error::invalid("validation failed after the event was written");
      }
      return {};
    });
  }

  ConsumerOptions consumer_options(std::string name) {
    ConsumerOptions o;
    o.name = std::move(name);
    o.max_attempts = 3;
    o.sleep = [](std::chrono::milliseconds) {};
    return o;
  }

  // A handler that creates a calendar row for the project, in the inbox transaction.
  EventHandler create_calendar(std::atomic<int>& calls) {
    return [&calls](db::Transaction& tx, const CloudEvent& e) -> Result<void> {
      ++calls;
      auto r = tx.execute("INSERT INTO calendars (project_id, org_id) VALUES ($1, $2)", e.subject,
                          e.org_id);
      if (!r) {
        return std::move(r).error();
      }
      return {};
    };
  }

  // Runs relay passes until every event is delivered and marked (bounded).
  void drain(Relay& relay) {
    for (int i = 0; i < 500; ++i) {
      auto sent = relay.relay_once();
      ASSERT_TRUE(sent) << sent.error().message;
      auto lag = relay.lag();
      ASSERT_TRUE(lag) << lag.error().message;
      if (lag->unpublished == 0) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    FAIL() << "outbox did not drain";
  }
};

TEST_P(OutboxTest, CommittedEventsAreDeliveredAndMarked) {
  auto bus = make_in_process_bus();
  std::atomic<int> calls{0};
  Consumer consumer(*db_, consumer_options("tasks.default-calendar"), create_calendar(calls));
  bus->subscribe(consumer.subscription("tasks", {"projects.ProjectCreated.v1"}));
  bus->start();
  Relay relay(*db_, *bus, {.service = "projects"});

  ASSERT_TRUE(create_project("p-1"));
  ASSERT_TRUE(create_project("p-2"));
  ASSERT_EQ(relay.lag()->unpublished, 2);
  drain(relay);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM calendars"), 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"), 0);
  bus->stop();
}

TEST_P(OutboxTest, ARolledBackChangePublishesNothing) {
  ASSERT_FALSE(create_project("p-1", /*commit=*/false));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox"), 0);
}

TEST_P(OutboxTest, ARelayKilledBetweenPublishAndMarkRepublishesAndTheEventIsHandledOnce) {
  auto bus = make_in_process_bus();
  std::atomic<int> calls{0};
  Consumer consumer(*db_, consumer_options("tasks.default-calendar"), create_calendar(calls));
  bus->subscribe(consumer.subscription("tasks", {"projects.*"}));
  bus->start();
  ASSERT_TRUE(create_project("p-1"));

  {
    Relay doomed(*db_, *bus, {.service = "projects"});
    auto sent = doomed.relay_once();
    ASSERT_TRUE(sent);
    ASSERT_EQ(*sent, 1u);
    for (int i = 0; i < 2000 && calls.load() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_EQ(calls.load(), 1);
    // The relay dies here: the event was delivered but its row was never marked.
  }
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"), 1);

  Relay successor(*db_, *bus, {.service = "projects"});
  drain(successor);
  EXPECT_EQ(calls.load(), 1) << "the repeat must be dropped by the inbox";
  EXPECT_EQ(consumer.duplicates(), 1u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM calendars"), 1);
  bus->stop();
}

TEST_P(OutboxTest, TheRelayLoopPublishesInTheBackground) {
  auto bus = make_in_process_bus();
  std::atomic<int> calls{0};
  Consumer consumer(*db_, consumer_options("tasks.default-calendar"), create_calendar(calls));
  bus->subscribe(consumer.subscription("tasks", {"projects.*"}));
  bus->start();
  Relay relay(
      *db_, *bus,
      {.service = "projects", .batch_size = 4, .poll_interval = std::chrono::milliseconds(5)});
  relay.start();
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(create_project("p-" + std::to_string(i)));
    relay.notify();
  }
  for (int i = 0; i < 5000 && scalar("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL") > 0;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  relay.stop();
  bus->stop();
  EXPECT_EQ(calls.load(), 20);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"), 0);
}

TEST_P(OutboxTest, AFailedAttemptRollsBackTheHandlersWritesAndIsRetried) {
  std::atomic<int> calls{0};
  Consumer consumer(*db_, consumer_options("flaky"),
                    [&](db::Transaction& tx, const CloudEvent& e) -> Result<void> {
                      auto r =
                          tx.execute("INSERT INTO calendars (project_id, org_id) VALUES ($1, $2)",
                                     e.subject, e.org_id);
                      if (!r) {
                        return std::move(r).error();
                      }
                      if (++calls < 3) {
                        return Error::unavailable("downstream not ready");
                      }
                      return {};
                    });
  const auto e =
      CloudEvent::make("/services/projects", "projects.ProjectCreated.v1", "p-9", "org-a", "{}");
  auto outcome = consumer.deliver(e);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(*outcome, Consumer::Outcome::kHandled);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM calendars"), 1) << "failed attempts left rows behind";
}

TEST_P(OutboxTest, APoisonEventIsDeadLetteredOnceAndCanBeReplayed) {
  std::atomic<bool> broken{true};
  std::atomic<int> calls{0};
  Consumer consumer(*db_, consumer_options("poisoned"),
                    [&](db::Transaction&, const CloudEvent&) -> Result<void> {
                      ++calls;
                      if (broken) {
                        return Error::invalid("unexpected payload shape");
                      }
                      return {};
                    });
  const auto e =
      CloudEvent::make("/services/projects", "projects.ProjectCreated.v1", "p-1", "org-a", "{}");
  auto first = consumer.deliver(e);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, Consumer::Outcome::kDeadLettered);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM dead_letter WHERE consumer = 'poisoned'"), 1);
  EXPECT_EQ(scalar("SELECT attempts FROM dead_letter"), 3);

  // Redelivery of a parked event does not run the failing handler again.
  EXPECT_EQ(*consumer.deliver(e), Consumer::Outcome::kDuplicate);
  EXPECT_EQ(calls.load(), 3);

  broken = false;  // the fix is deployed
  auto replayed = consumer.replay(e.id);
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_EQ(*replayed, Consumer::Outcome::kHandled);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM dead_letter"), 0);
  EXPECT_EQ(consumer.replay(e.id).error().code, ErrorCode::kNotFound);
}

TEST_P(OutboxTest, ConsumersAreIndependent) {
  std::atomic<int> a{0}, b{0};
  Consumer first(*db_, consumer_options("first"), [&](db::Transaction&, const CloudEvent&) {
    ++a;
    return Result<void>();
  });
  Consumer second(*db_, consumer_options("second"), [&](db::Transaction&, const CloudEvent&) {
    ++b;
    return Result<void>();
  });
  const auto e = CloudEvent::make("/s", "s.X.v1", "", "org-a", "{}");
  EXPECT_EQ(*first.deliver(e), Consumer::Outcome::kHandled);
  EXPECT_EQ(*second.deliver(e), Consumer::Outcome::kHandled);
  EXPECT_EQ(*first.deliver(e), Consumer::Outcome::kDuplicate);
  EXPECT_EQ(a.load() + b.load(), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::events
