// The connection pool both adapters share: at most `capacity` connections, opened lazily, handed
// out one per transaction with a deadline, and closed instead of reused when left in a bad state.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "atelier/core/error.hpp"
#include "atelier/db/database.hpp"

namespace atelier::db::detail {

// Conn must provide `bool reusable() const`: false when the connection is broken or still inside
// a transaction, so that the next user never inherits someone else's half-done work.
template <class Conn>
class Pool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Conn>>()>;

  // A connection on loan; returned to the pool (or closed) when the lease ends.
  class Lease {
   public:
    Lease() = default;
    Lease(Pool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&& other) noexcept {
      if (this != &other) {
        release();
        pool_ = std::exchange(other.pool_, nullptr);
        conn_ = std::move(other.conn_);
      }
      return *this;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { release(); }

    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }

   private:
    void release() {
      if (pool_ != nullptr) {
        pool_->give_back(std::move(conn_));
        pool_ = nullptr;
      }
    }

    Pool* pool_ = nullptr;
    std::unique_ptr<Conn> conn_;
  };

  Pool(unsigned capacity, std::chrono::milliseconds acquire_timeout, Factory factory)
      : capacity_(capacity), acquire_timeout_(acquire_timeout), factory_(std::move(factory)) {}
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Hands over an idle connection, opens a new one while under capacity, or waits up to the
  // acquire timeout for one to come back.
  Result<Lease> acquire() {
    std::unique_lock lock(mutex_);
    if (idle_.empty() && open_ >= capacity_) {
      ++waits_;
      const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
      const bool got = available_.wait_until(
          lock, deadline, [this] { return !idle_.empty() || open_ < capacity_; });
      if (!got) {
        ++timeouts_;
        return Error::unavailable("no database connection free after " +
                                  std::to_string(acquire_timeout_.count()) + " ms (pool of " +
                                  std::to_string(capacity_) + ")");
      }
    }
    if (!idle_.empty()) {
      std::unique_ptr<Conn> conn = std::move(idle_.back());
      idle_.pop_back();
      ++in_use_;
      return Lease(this, std::move(conn));
    }
    // Reserve the slot, then connect without holding the lock: connecting can take a while.
    ++open_;
    ++in_use_;
    lock.unlock();
    Result<std::unique_ptr<Conn>> conn = factory_();
    if (!conn) {
      lock.lock();
      --open_;
      --in_use_;
      lock.unlock();
      available_.notify_one();
      return std::move(conn).error();
    }
    return Lease(this, std::move(conn).value());
  }

  Database::PoolStats stats() const {
    std::lock_guard lock(mutex_);
    return {open_, in_use_, waits_, timeouts_};
  }

 private:
  void give_back(std::unique_ptr<Conn> conn) {
    // Closing a connection can block on the network; do it outside the lock.
    std::unique_ptr<Conn> to_close;
    {
      std::lock_guard lock(mutex_);
      --in_use_;
      if (conn != nullptr && conn->reusable()) {
        idle_.push_back(std::move(conn));
      } else {
        --open_;
        to_close = std::move(conn);
      }
    }
    available_.notify_one();
  }

  const unsigned capacity_;
  const std::chrono::milliseconds acquire_timeout_;
  const Factory factory_;

  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Conn>> idle_;
  unsigned open_ = 0;
  unsigned in_use_ = 0;
  uint64_t waits_ = 0;
  uint64_t timeouts_ = 0;
};

}  // namespace atelier::db::detail
