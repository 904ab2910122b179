// The HTTP/1.1 server; with client.cpp, the only code that sees Asio and Beast.
//
// Each I/O thread runs its own io_context and owns the connections accepted onto it, so a
// connection's coroutine, its deadline timer and the shard's bookkeeping never need a strand or a
// lock. Beast's basic_parser fills our Request directly (no intermediate beast::http::fields), and
// responses are serialized by hand into one reused buffer and written with one non-blocking send
// when the socket has room, which is nearly always.
#include "atelier/http/server.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <charconv>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "atelier/core/log.hpp"
#include "atelier/core/metrics.hpp"
#include "atelier/core/uuid.hpp"

namespace atelier::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {

// Concrete executor types instead of any_io_executor: no type erasure on every operation.
using Executor = asio::io_context::executor_type;
template <class T = void>
using Awaitable = asio::awaitable<T, Executor>;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Executor>;
using SteadyTime = std::chrono::steady_clock::time_point;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable_t<Executor>());
constexpr SteadyTime kNever = SteadyTime::max();
constexpr size_t kReadChunk = 16 * 1024;
// Bodies up to this size are copied behind the head so that a response is one send().
constexpr size_t kInlineBody = 16 * 1024;
// After answering and closing our side, read and discard what the peer still sends, for at most
// this long: closing with unread input makes the kernel send a reset, which can destroy the
// response before the peer reads it (a 413 sent while the body is still arriving).
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr size_t kLingerBytes = 1 << 20;

SteadyTime now() {
  return std::chrono::steady_clock::now();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The Date header, formatted once a second per thread.
std::string_view http_date() {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t cached_second = -1;
  thread_local char cached[32];
  const std::time_t second = std::time(nullptr);
  if (second != cached_second) {
    std::tm tm{};
    gmtime_r(&second, &tm);
    std::snprintf(cached, sizeof cached, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    cached_second = second;
  }
  return {cached, 29};
}

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Header names and values set by handlers are checked so that no input echoed into a header can
// split the response.
bool valid_field(std::string_view name, std::string_view value) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    if (!is_token_char(c)) {
      return false;
    }
  }
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Fields the server writes itself.
bool managed_field(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection") || iequals(name, "Date") || iequals(name, "Server");
}

// A move-only job for the worker pool (std::function needs copyable targets; C++20 has no
// std::move_only_function).
class Task {
 public:
  Task() = default;
  template <class F>
  explicit Task(F f) : impl_(std::make_unique<Impl<F>>(std::move(f))) {}
  void operator()() { impl_->run(); }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void run() = 0;
  };
  template <class F>
  struct Impl final : Base {
    explicit Impl(F fn) : f(std::move(fn)) {}
    void run() override { f(); }
    F f;
  };
  std::unique_ptr<Base> impl_;
};

// Threads for blocking handlers, with a bounded backlog. Callers reserve a place first, so a full
// pool is known before any work is handed over and the request can be answered 503 at once.
class WorkerPool {
 public:
  void start(unsigned threads, unsigned queue_capacity) {
    threads = std::max(threads, 1u);
    limit_ = static_cast<size_t>(threads) + queue_capacity;
    for (unsigned i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { run(); });
    }
  }

  bool try_reserve() {
    size_t n = pending_.load(std::memory_order_relaxed);
    do {
      if (n >= limit_) {
        return false;
      }
    } while (!pending_.compare_exchange_weak(n, n + 1, std::memory_order_acq_rel));
    return true;
  }
  // Ends a reservation; called by the task itself once its work is done.
  void finished() { pending_.fetch_sub(1, std::memory_order_acq_rel); }

  void submit(Task task) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(task));
    }
    cv_.notify_one();
  }

  // Runs what is queued, then joins.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) {
      if (t.joinable()) {
        t.join();
      }
    }
    threads_.clear();
  }

  size_t depth() const { return pending_.load(std::memory_order_relaxed); }

 private:
  void run() {
    for (;;) {
      Task task;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) {
          return;
        }
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
  size_t limit_ = 0;
  std::atomic<size_t> pending_{0};
};

// Runs `work` on the pool and resumes the awaiting coroutine on its own I/O thread afterwards.
// The caller has reserved a place with try_reserve().
template <class Work>
auto run_on_pool(WorkerPool& pool, Work work) {
  return asio::async_initiate<const asio::use_awaitable_t<Executor>, void()>(
      [&pool](auto handler, Work job) {
        pool.submit(Task([&pool, handler = std::move(handler), job = std::move(job)]() mutable {
          job();
          pool.finished();
          auto executor = asio::get_associated_executor(handler);
          asio::post(executor, std::move(handler));
        }));
      },
      asio::use_awaitable_t<Executor>(), std::move(work));
}

// The body of a route with RouteOptions::stream_body: a temporary file written as the bytes
// arrive, hashed on the way. Removed when this object goes (after the response, or when the
// connection drops mid-body), so an interrupted upload leaves nothing behind.
class UploadFile {
 public:
  // nullptr when the file cannot be created (the reason is logged).
  static std::unique_ptr<UploadFile> create(const std::filesystem::path& requested_dir) {
    std::error_code ec;
    const std::filesystem::path dir =
        requested_dir.empty() ? std::filesystem::temp_directory_path(ec) : requested_dir;
    std::filesystem::create_directories(dir, ec);
    auto file = std::unique_ptr<UploadFile>(new UploadFile(dir / ("upload-" + Uuid::v7().str())));
    file->fd_ = ::open(file->path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    file->hash_ = EVP_MD_CTX_new();
    if (file->fd_ < 0 || file->hash_ == nullptr ||
        EVP_DigestInit_ex(file->hash_, EVP_sha256(), nullptr) != 1) {
      log::error("http.upload_file_failed")
          .field("path", file->path_.string())
          .field("error", std::strerror(errno));
      return nullptr;
    }
    return file;
  }
  ~UploadFile() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    EVP_MD_CTX_free(hash_);
    ::unlink(path_.c_str());
  }
  UploadFile(const UploadFile&) = delete;
  UploadFile& operator=(const UploadFile&) = delete;

  // False when the disk refuses the bytes (full, I/O error).
  bool write(const char* data, size_t size) {
    EVP_DigestUpdate(hash_, data, size);
    size_ += size;
    while (size > 0) {
      const ssize_t n = ::write(fd_, data, size);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return false;
      }
      data += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }

  // Closes the file and describes it for the handler.
  std::optional<UploadedBody> finish() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const bool closed = ::close(fd_) == 0;
    fd_ = -1;
    if (!closed || EVP_DigestFinal_ex(hash_, digest, &length) != 1) {
      return std::nullopt;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    UploadedBody body{path_, size_, {}};
    for (unsigned int i = 0; i < length; ++i) {
      body.sha256 += kHex[digest[i] >> 4];
      body.sha256 += kHex[digest[i] & 0x0f];
    }
    return body;
  }

 private:
  explicit UploadFile(std::filesystem::path path) : path_(std::move(path)) {}

  std::filesystem::path path_;
  int fd_ = -1;
  EVP_MD_CTX* hash_ = nullptr;
  uint64_t size_ = 0;
};

// Beast's request parser, writing straight into our Request (or into an UploadFile).
class RequestParser final : public bhttp::basic_parser<true> {
 public:
  explicit RequestParser(Request& request) : request_(request) {}

  // From now on the body goes to `sink` instead of Request::body.
  void stream_to(UploadFile* sink) { sink_ = sink; }
  bool sink_failed() const { return sink_failed_; }

  int version() const { return version_; }
  bool bad_target() const { return bad_target_; }
  bool unsupported_transfer_encoding() const { return unsupported_te_; }
  bool missing_host() const { return missing_host_; }
  bool expects_continue() const { return expect_continue_; }

 private:
  void on_request_impl(bhttp::verb, beast::string_view method, beast::string_view target,
                       int version, error_code&) override {
    version_ = version;
    request_.method = http::parse_method(method);
    bad_target_ = !request_.set_target(target);
  }

  void on_response_impl(int, beast::string_view, int, error_code&) override {}

  void on_field_impl(bhttp::field name, beast::string_view name_string, beast::string_view value,
                     error_code&) override {
    if (name == bhttp::field::transfer_encoding) {
      ++transfer_encodings_;
      chunked_ = iequals(trim(value), "chunked");
    } else if (name == bhttp::field::expect) {
      expect_continue_ = iequals(trim(value), "100-continue");
    } else if (name == bhttp::field::host) {
      has_host_ = true;
    }
    request_.headers.add(name_string, value);
  }

  void on_header_impl(error_code& ec) override {
    // Anything but exactly "chunked" (gzip, chunked; two fields) would leave a body we cannot
    // frame or decode: refuse it rather than misread where the next request starts.
    if (transfer_encodings_ > 0 && !(transfer_encodings_ == 1 && chunked_)) {
      unsupported_te_ = true;
      ec = bhttp::error::bad_transfer_encoding;
      return;
    }
    if (version_ == 11 && !has_host_) {
      missing_host_ = true;
      ec = bhttp::error::bad_field;
    }
  }

  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length) {
      // Capped: a client announcing 16 MB must send them before it costs us 16 MB.
      request_.body.reserve(static_cast<size_t>(std::min<std::uint64_t>(*length, 1u << 20)));
    }
  }

  std::size_t on_body_impl(beast::string_view body, error_code& ec) override {
    return take_body(body, ec);
  }

  void on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) override {}

  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, error_code& ec) override {
    return take_body(body, ec);
  }

  std::size_t take_body(beast::string_view body, error_code& ec) {
    if (sink_ == nullptr) {
      request_.body.append(body.data(), body.size());
    } else if (!sink_->write(body.data(), body.size())) {
      sink_failed_ = true;
      ec = bhttp::error::body_limit;  // stops the parser; sink_failed() tells it apart
      return 0;
    }
    return body.size();
  }

  void on_finish_impl(error_code&) override {}

  Request& request_;
  UploadFile* sink_ = nullptr;
  bool sink_failed_ = false;
  int version_ = 11;
  int transfer_encodings_ = 0;
  bool chunked_ = false;
  bool has_host_ = false;
  bool bad_target_ = false;
  bool unsupported_te_ = false;
  bool missing_host_ = false;
  bool expect_continue_ = false;
};

// True when the request line in `buffer` ends in a well-formed "HTTP/x.y": Beast reports both
// "HTTP/2.0" and garbage as bad_version, but only the former deserves 505 rather than 400.
bool names_other_http_version(const beast::flat_buffer& buffer) {
  const std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
  const std::string_view line = data.substr(0, data.find("\r\n"));
  if (line.size() < 9) {
    return false;
  }
  const std::string_view version = line.substr(line.size() - 8);
  return version.starts_with("HTTP/") && version[5] >= '0' && version[5] <= '9' &&
         version[6] == '.' && version[7] >= '0' && version[7] <= '9';
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

class Connection;

// One I/O thread: its io_context and the connections it owns. Only that thread touches it.
struct Shard {
  std::unordered_set<Connection*> connections;  // declared before ctx: outlives its handlers
  asio::io_context ctx{1};
  std::optional<asio::executor_work_guard<Executor>> work;
  bool stopping = false;
  bool drained = false;
  std::thread thread;
};

// The I/O thread's server, so that stop() knows not to block waiting on its own thread.
thread_local const void* t_io_server = nullptr;

}  // namespace

struct Server::Impl {
  Impl(ServerOptions server_options, Router server_router, std::vector<Middleware> chain)
      : options(std::move(server_options)),
        router(std::move(server_router)),
        middleware(std::move(chain)) {
    header_body_limit = options.max_body_bytes;
    for (const Route& route : router.routes()) {
      if (route.options.stream_body) {
        header_body_limit = std::max(header_body_limit, route.options.stream_body->limit);
      }
    }
  }
  ~Impl();

  Result<void> start();
  void stop();
  void wait();
  void watch_signals();
  Awaitable<void> accept_loop();
  void open_connection(Shard& shard, Socket socket);
  void connection_closed(Shard& shard, Connection* connection);
  void begin_shard_stop(Shard& shard);
  void shard_drained(Shard& shard);
  void force_stop();
  void count_rejected(int status);
  void write_metrics(std::string& out) const;

  ServerOptions options;
  // The body limit the parser checks a Content-Length against while reading the header, before
  // the route is known: the largest of max_body_bytes and the streamed routes' limits. Each
  // request then gets its route's own limit.
  uint64_t header_body_limit = 0;
  Router router;
  std::vector<Middleware> middleware;
  WorkerPool workers;
  std::vector<std::unique_ptr<Shard>> shards;
  // On shards[0]; declared after `shards`, so destroyed before their io_context.
  std::optional<asio::basic_socket_acceptor<tcp, Executor>> acceptor;
  std::optional<asio::basic_signal_set<Executor>> signals;
  std::optional<Timer> grace_timer;

  std::atomic<bool> started{false};
  std::atomic<bool> stopping{false};
  std::atomic<uint16_t> port{0};
  std::atomic<size_t> shards_running{0};
  bool want_signals = false;
  size_t next_shard = 0;  // accept loop only
  std::mutex wait_mutex;
  bool joined = false;

  std::atomic<int64_t> open_connections{0};
  static constexpr std::array<int, 8> kRejectedStatuses{400, 408, 413, 431, 500, 501, 503, 505};
  std::array<std::atomic<uint64_t>, kRejectedStatuses.size()> rejected{};
  uint64_t collector_id = 0;
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server::Impl& server, Shard& shard, Socket socket)
      : server_(server),
        shard_(shard),
        socket_(std::move(socket)),
        timer_(shard.ctx.get_executor()),
        accepted_at_(now()) {
    error_code ec;
    socket_.non_blocking(true, ec);
    socket_.set_option(tcp::no_delay(true), ec);
    const auto peer = socket_.remote_endpoint(ec);
    if (!ec) {
      remote_ = peer.address().to_string() + ":" + std::to_string(peer.port());
    }
    head_.reserve(512);
  }

  static Awaitable<void> run(std::shared_ptr<Connection> self) {
    try {
      co_await self->serve();
    } catch (const std::exception& e) {
      log::error("http.connection_failed").field("remote", self->remote_).field("error", e.what());
    }
    self->finish();
  }

  // The server is stopping: a connection waiting for its next request closes now; one in the
  // middle of a request finishes it and answers with Connection: close.
  void on_server_stop() {
    if (idle_) {
      error_code ec;
      socket_.cancel(ec);
    }
  }

 private:
  enum class Read { kDone, kClosed, kTimeout, kError };

  Awaitable<void> serve();
  Awaitable<Read> read_header(bool first);
  Awaitable<Read> read_body();
  // Matches the route once the header is in, and applies its body limit and streaming. False
  // with a rejection prepared when the body may not be read.
  bool prepare_body();
  Awaitable<void> dispatch();
  Awaitable<bool> write_response(bool head_only, bool close);
  Awaitable<bool> write(std::string_view head, std::string_view body);
  Awaitable<bool> send_file(int fd, uint64_t start, uint64_t length);
  // Rejections are prepared synchronously and then sent by a coroutine without parameters:
  // GCC 12 miscompiles some coroutine calls with by-value string arguments.
  void prepare_rejection(int status, std::string_view slug, std::string_view detail);
  void prepare_parse_error(const error_code& ec);
  Awaitable<void> send_rejection();
  Awaitable<void> close_gracefully();
  void build_head(const Response& response, std::optional<uint64_t> content_length, bool close);
  void finish();

  void set_deadline(SteadyTime deadline);
  void on_timer(const error_code& ec, uint64_t generation);

  Server::Impl& server_;
  Shard& shard_;
  Socket socket_;
  Timer timer_;
  SteadyTime accepted_at_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  RouteMatch match_;
  std::unique_ptr<UploadFile> upload_;
  Request request_;
  Response response_;
  std::string head_;

  // Deadlines: one timer per connection that is re-armed only when a deadline moves earlier.
  // Moving it later (every keep-alive request) is just a store; the timer notices when it fires.
  SteadyTime deadline_ = kNever;
  SteadyTime armed_until_ = kNever;
  uint64_t timer_generation_ = 0;
  bool timed_out_ = false;
  bool idle_ = false;  // waiting for the first byte of a request
  bool closed_ = false;
};

void Connection::set_deadline(SteadyTime deadline) {
  deadline_ = deadline;
  if (deadline < armed_until_) {
    armed_until_ = deadline;
    timer_.expires_at(deadline);
    timer_.async_wait([self = shared_from_this(), generation = ++timer_generation_](
                          const error_code& ec) { self->on_timer(ec, generation); });
  }
}

void Connection::on_timer(const error_code& ec, uint64_t generation) {
  if (ec || generation != timer_generation_ || closed_) {
    return;
  }
  armed_until_ = kNever;
  if (deadline_ == kNever) {
    return;
  }
  if (now() >= deadline_) {
    timed_out_ = true;
    deadline_ = kNever;
    error_code ignored;
    socket_.cancel(ignored);
    return;
  }
  set_deadline(deadline_);
}

Awaitable<void> Connection::serve() {
  const ServerOptions& options = server_.options;
  bool first = true;
  for (;;) {
    request_.clear();
    request_.remote_address = remote_;
    parser_.emplace(request_);
    parser_->header_limit(options.max_header_bytes);
    parser_->body_limit(server_.header_body_limit);
    upload_.reset();
    match_ = RouteMatch{};
    // Header first, so that the limits are applied before any of the body is read.
    parser_->eager(false);

    Read read = co_await read_header(first);
    first = false;
    if (read == Read::kClosed) {
      co_return;
    }
    if (read == Read::kTimeout) {
      prepare_rejection(408, "request-timeout", "The request header did not arrive in time.");
    } else if (read == Read::kDone && parser_->bad_target()) {
      prepare_rejection(400, "bad-request",
                        "The request target is not a valid path (bad %-escape or NUL).");
      read = Read::kError;
    }
    if (read == Read::kDone && !prepare_body()) {
      read = Read::kError;
    }
    if (read != Read::kDone) {
      co_await send_rejection();
      co_return;
    }
    if (parser_->expects_continue() && !parser_->is_done() && parser_->version() == 11) {
      const bool sent = co_await write("HTTP/1.1 100 Continue\r\n\r\n", {});
      if (!sent) {
        co_return;
      }
    }
    read = co_await read_body();
    if (read == Read::kClosed) {
      co_return;
    }
    if (read == Read::kTimeout) {
      prepare_rejection(408, "request-timeout", "The request body did not arrive in time.");
    }
    if (read == Read::kDone && upload_) {
      auto body = upload_->finish();
      if (!body) {
        prepare_rejection(507, "insufficient-storage", "The upload could not be stored.");
        read = Read::kError;
      } else {
        request_.upload = std::move(*body);
      }
    }
    if (read != Read::kDone) {
      co_await send_rejection();
      co_return;
    }
    set_deadline(kNever);  // handlers are ours; the worker pool bounds them, not a timer

    co_await dispatch();
    upload_.reset();  // the handler has kept what it wanted of the upload: the file goes now
    const bool close = !parser_->keep_alive() || parser_->version() < 11 ||
                       server_.stopping.load(std::memory_order_relaxed);
    const bool written = co_await write_response(request_.method == Method::kHead, close);
    if (!written) {
      co_return;
    }
    if (close) {
      co_await close_gracefully();
      co_return;
    }
  }
}

Awaitable<Connection::Read> Connection::read_header(bool first) {
  const ServerOptions& options = server_.options;
  // A new connection has header_timeout from accept; a keep-alive one waits idle_timeout for the
  // next request, then header_timeout from its first byte. Either deadline is fixed when set, so
  // a client trickling a byte at a time cannot push it back.
  SteadyTime header_deadline = first ? accepted_at_ + options.header_timeout : kNever;
  bool received = buffer_.size() > 0;
  for (;;) {
    if (buffer_.size() > 0) {
      error_code ec;
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec && ec != bhttp::error::need_more) {
        prepare_parse_error(ec);
        co_return Read::kError;
      }
      if (parser_->is_header_done()) {
        co_return Read::kDone;
      }
      if (header_deadline == kNever) {
        header_deadline = now() + options.header_timeout;
      }
      set_deadline(header_deadline);
    } else if (server_.stopping.load(std::memory_order_relaxed)) {
      co_return Read::kClosed;
    } else {
      set_deadline(first ? header_deadline : now() + options.idle_timeout);
    }
    idle_ = buffer_.size() == 0;
    auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kUseTuple);
    idle_ = false;
    if (timed_out_) {
      co_return received ? Read::kTimeout : Read::kClosed;
    }
    if (ec) {
      co_return Read::kClosed;
    }
    buffer_.commit(n);
    received = true;
  }
}

Awaitable<Connection::Read> Connection::read_body() {
  if (parser_->is_done()) {
    co_return Read::kDone;
  }
  parser_->eager(true);
  const SteadyTime body_deadline = now() + server_.options.body_timeout;
  for (;;) {
    if (buffer_.size() > 0) {
      error_code ec;
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec && ec != bhttp::error::need_more) {
        prepare_parse_error(ec);
        co_return Read::kError;
      }
      if (parser_->is_done()) {
        co_return Read::kDone;
      }
    }
    set_deadline(body_deadline);
    auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kUseTuple);
    if (timed_out_) {
      co_return Read::kTimeout;
    }
    if (ec) {
      co_return Read::kClosed;
    }
    buffer_.commit(n);
  }
}

bool Connection::prepare_body() {
  match_ = server_.router.match(request_);
  const ServerOptions& options = server_.options;
  const Route* route = match_.route;
  const bool streamed = route != nullptr && route->options.stream_body.has_value();
  const uint64_t limit = streamed ? route->options.stream_body->limit : options.max_body_bytes;
  const auto length = parser_->content_length();
  if (length && *length > limit) {
    prepare_rejection(413, "payload-too-large",
                      "The request body exceeds " + std::to_string(limit) + " bytes.");
    return false;
  }
  if (limit != server_.header_body_limit) {
    parser_->body_limit(limit);
  }
  if (streamed && !route->options.anonymous && request_.header("Authorization").empty()) {
    // Refused before a byte of the body reaches the disk. The credentials themselves are checked
    // later by the authentication middleware, once the body is in: a wrong token still costs the
    // upload, but no anonymous caller can make the server write.
    prepare_rejection(401, "unauthenticated",
                      "This endpoint needs credentials: send 'Authorization: Bearer <access "
                      "token>'.");
    return false;
  }
  if (streamed) {
    upload_ = UploadFile::create(route->options.stream_body->dir);
    if (!upload_) {
      prepare_rejection(507, "insufficient-storage", "The upload could not be stored.");
      return false;
    }
    parser_->stream_to(upload_.get());
  }
  return true;
}

Response unmatched(const RouteMatch& match, Request& request) {
  if (match.status() == 405) {
    if (request.method == Method::kOptions) {
      Response response = Response::no_content();
      response.headers.set("Allow", match.allow() + ", OPTIONS");
      return response;
    }
    Response response = Response::problem(
        405, "method-not-allowed",
        std::string(method_name(request.method)) + " is not allowed here; see Allow.", request);
    response.headers.set("Allow", match.allow());
    return response;
  }
  return Response::problem(Error::not_found("Nothing lives at " + request.path + "."), request);
}

// run_chain() turns a throwing handler into a 500; this catches what a middleware throws.
Response run_guarded(const std::vector<Middleware>& chain, const Handler& handler,
                     Request& request) {
  try {
    return run_chain(chain, handler, request);
  } catch (const std::exception& e) {
    log::error("http.middleware_failed").field("path", request.path).field("error", e.what());
  } catch (...) {
    log::error("http.middleware_failed").field("path", request.path);
  }
  return Response::problem(Error::internal("The server failed to handle the request."), request);
}

Awaitable<void> Connection::dispatch() {
  const RouteMatch match = match_;
  if (match.route == nullptr) {
    const Handler handler = [&match](Request& request) { return unmatched(match, request); };
    response_ = run_guarded(server_.middleware, handler, request_);
    co_return;
  }
  if (!match.route->options.blocking) {
    response_ = run_guarded(server_.middleware, match.route->handler, request_);
    co_return;
  }
  if (!server_.workers.try_reserve()) {
    Error error = Error::unavailable("The server is busy; retry shortly.");
    error.retry_after = std::chrono::seconds(1);
    if (request_.request_id.empty()) {
      request_.request_id = Uuid::v7().str();
    }
    response_ = Response::problem(error, request_);
    response_.headers.set("X-Request-Id", request_.request_id);
    server_.count_rejected(503);
    co_return;
  }
  const Route* route = match.route;
  co_await run_on_pool(server_.workers, [this, route] {
    response_ = run_guarded(server_.middleware, route->handler, request_);
  });
}

void Connection::build_head(const Response& response, std::optional<uint64_t> content_length,
                            bool close) {
  head_.clear();
  head_ += "HTTP/1.1 ";
  char number[24];
  head_.append(number, std::to_chars(number, number + sizeof number, response.status).ptr);
  head_ += ' ';
  head_ += reason_phrase(response.status);
  head_ += "\r\nServer: atelier\r\nDate: ";
  head_ += http_date();
  head_ += "\r\n";
  for (const auto& [name, value] : response.headers) {
    if (managed_field(name)) {
      continue;
    }
    if (!valid_field(name, value)) {
      log::warn("http.invalid_response_header").field("name", name).field("path", request_.path);
      continue;
    }
    head_ += name;
    head_ += ": ";
    head_ += value;
    head_ += "\r\n";
  }
  if (content_length) {
    head_ += "Content-Length: ";
    head_.append(number, std::to_chars(number, number + sizeof number, *content_length).ptr);
    head_ += "\r\n";
  }
  if (close) {
    head_ += "Connection: close\r\n";
  }
  head_ += "\r\n";
}

Awaitable<bool> Connection::write_response(bool head_only, bool close) {
  if (response_.status < 100 || response_.status > 599) {
    log::error("http.invalid_status")
        .field("status", response_.status)
        .field("path", request_.path);
    response_ =
        Response::problem(Error::internal("The handler produced an invalid status."), request_);
  }
  // The file body: the one the handler opened, or one opened here by path (closed after).
  std::optional<FileDescriptor> opened;
  int file_fd = -1;
  uint64_t file_offset = 0;
  uint64_t length = response_.body.size();
  if (response_.file) {
    const FileBody& body = *response_.file;
    if (body.open) {
      file_fd = body.open->fd();
    } else {
      opened.emplace(::open(body.path.c_str(), O_RDONLY | O_CLOEXEC));
      file_fd = opened->get();
    }
    struct stat st {};
    const bool usable = file_fd >= 0 && ::fstat(file_fd, &st) == 0 && S_ISREG(st.st_mode);
    const auto size = usable ? static_cast<uint64_t>(st.st_size) : 0;
    const uint64_t wanted = body.length.value_or(size >= body.offset ? size - body.offset : 0);
    if (!usable || body.offset > size || wanted > size - body.offset) {
      file_fd = -1;
      response_ = Response::problem(Error::not_found("The file is gone."), request_);
      length = response_.body.size();
    } else {
      file_offset = body.offset;
      length = wanted;
    }
  }
  const bool bodyless =
      response_.status < 200 || response_.status == 204 || response_.status == 304;
  build_head(response_, bodyless ? std::nullopt : std::optional<uint64_t>(length), close);
  if (head_only || bodyless) {
    co_return co_await write(head_, {});
  }
  if (file_fd >= 0) {
    const bool head_sent = co_await write(head_, {});
    if (!head_sent) {
      co_return false;
    }
    co_return co_await send_file(file_fd, file_offset, length);
  }
  if (response_.body.size() <= kInlineBody) {
    head_ += response_.body;
    co_return co_await write(head_, {});
  }
  co_return co_await write(head_, response_.body);
}

Awaitable<bool> Connection::write(std::string_view head, std::string_view body) {
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head.data(), head.size()),
                                            asio::buffer(body.data(), body.size())};
  const size_t total = head.size() + body.size();
  // The socket is non-blocking: try to send at once and only wait when its buffer is full.
  error_code ec;
  const size_t sent = socket_.write_some(buffers, ec);
  if (!ec && sent == total) {
    co_return true;
  }
  if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
    co_return false;
  }
  if (sent < head.size()) {
    buffers[0] = asio::buffer(head.data() + sent, head.size() - sent);
  } else {
    buffers[0] = asio::buffer(body.data() + (sent - head.size()), total - sent);
    buffers[1] = asio::const_buffer();
  }
  timed_out_ = false;
  set_deadline(now() + server_.options.body_timeout);
  auto [write_ec, n] = co_await asio::async_write(socket_, buffers, kUseTuple);
  co_return !write_ec && !timed_out_;
}

Awaitable<bool> Connection::send_file(int fd, uint64_t start, uint64_t length) {
  auto offset = static_cast<off_t>(start);
  const uint64_t end = start + length;
  while (static_cast<uint64_t>(offset) < end) {
    const size_t want = static_cast<size_t>(
        std::min<uint64_t>(end - static_cast<uint64_t>(offset), uint64_t{1} << 20));
    const ssize_t sent = ::sendfile(socket_.native_handle(), fd, &offset, want);
    if (sent > 0) {
      continue;
    }
    if (sent == 0) {
      co_return false;  // the file shrank: the promised Content-Length cannot be kept
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      co_return false;
    }
    // Progress-based: each wait for room in the socket buffer gets a fresh body_timeout.
    set_deadline(now() + server_.options.body_timeout);
    auto [ec] = co_await socket_.async_wait(Socket::wait_write, kUseTuple);
    if (ec || timed_out_) {
      co_return false;
    }
  }
  co_return true;
}

void Connection::prepare_rejection(int status, std::string_view slug, std::string_view detail) {
  if (request_.request_id.empty()) {
    request_.request_id = Uuid::v7().str();
  }
  log::info("http.rejected")
      .field("status", status)
      .field("detail", detail)
      .field("remote", remote_)
      .field("request_id", request_.request_id);
  server_.count_rejected(status);
  response_ = Response::problem(status, slug, detail, request_);
  response_.headers.set("X-Request-Id", request_.request_id);
}

void Connection::prepare_parse_error(const error_code& ec) {
  const ServerOptions& options = server_.options;
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    prepare_rejection(
        431, "request-header-too-large",
        "The request header exceeds " + std::to_string(options.max_header_bytes) + " bytes.");
  } else if (parser_->sink_failed()) {
    prepare_rejection(507, "insufficient-storage", "The upload could not be stored.");
  } else if (ec == bhttp::error::body_limit) {
    const Route* route = match_.route;
    const uint64_t limit = route != nullptr && route->options.stream_body
                               ? route->options.stream_body->limit
                               : options.max_body_bytes;
    prepare_rejection(413, "payload-too-large",
                      "The request body exceeds " + std::to_string(limit) + " bytes.");
  } else if (ec == bhttp::error::bad_version && names_other_http_version(buffer_)) {
    prepare_rejection(505, "http-version-not-supported", "Only HTTP/1.0 and HTTP/1.1 are served.");
  } else if (parser_->unsupported_transfer_encoding()) {
    prepare_rejection(501, "not-implemented", "Only Transfer-Encoding: chunked is supported.");
  } else if (parser_->missing_host()) {
    prepare_rejection(400, "bad-request", "HTTP/1.1 requests need a Host header.");
  } else {
    prepare_rejection(400, "bad-request", "Malformed request: " + ec.message() + ".");
  }
}

// Sends the prepared rejection with Connection: close, then closes.
Awaitable<void> Connection::send_rejection() {
  upload_.reset();  // a partial upload goes at once, not after the linger
  timed_out_ = false;
  const bool written = co_await write_response(false, true);
  if (written) {
    co_await close_gracefully();
  }
}

Awaitable<void> Connection::close_gracefully() {
  error_code ec;
  socket_.shutdown(Socket::shutdown_send, ec);
  if (ec) {
    co_return;
  }
  timed_out_ = false;
  set_deadline(now() + kLingerTime);
  size_t drained = 0;
  while (drained < kLingerBytes && !timed_out_) {
    buffer_.clear();
    auto [read_ec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kUseTuple);
    if (read_ec) {
      break;
    }
    drained += n;
  }
}

void Connection::finish() {
  closed_ = true;
  upload_.reset();
  error_code ec;
  timer_.cancel();
  socket_.close(ec);
  server_.connection_closed(shard_, this);
}

}  // namespace

// --- Server::Impl ------------------------------------------------------------------------

Server::Impl::~Impl() {
  stop();
  wait();
  acceptor.reset();
  signals.reset();
  grace_timer.reset();
  shards.clear();
}

Result<void> Server::Impl::start() {
  if (started.exchange(true)) {
    return Error::internal("the server was already started");
  }
  // A peer that resets while sendfile() writes would otherwise kill the process with SIGPIPE
  // (Asio's own sends use MSG_NOSIGNAL).
  std::signal(SIGPIPE, SIG_IGN);

  const unsigned io_threads = options.io_threads > 0
                                  ? options.io_threads
                                  : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < io_threads; ++i) {
    shards.push_back(std::make_unique<Shard>());
  }
  Shard& first = *shards.front();

  error_code ec;
  tcp::endpoint endpoint;
  const auto address = asio::ip::make_address(options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options.port);
  } else {
    asio::ip::basic_resolver<tcp, Executor> resolver(first.ctx.get_executor());
    const auto results = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec || results.empty()) {
      return Error::invalid("cannot resolve listen host '" + options.host + "'");
    }
    endpoint = results.begin()->endpoint();
  }
  acceptor.emplace(first.ctx.get_executor());
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor->bind(endpoint, ec);
  }
  if (!ec) {
    acceptor->listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    acceptor.reset();
    return Error::unavailable("cannot listen on " + options.host + ":" +
                              std::to_string(options.port) + ": " + ec.message());
  }
  port = acceptor->local_endpoint().port();

  workers.start(options.worker_threads, options.worker_queue);
  collector_id = metrics::Registry::global().add([this](std::string& out) { write_metrics(out); });
  shards_running = shards.size();
  asio::co_spawn(first.ctx.get_executor(), accept_loop(), asio::detached);
  if (want_signals) {
    watch_signals();
  }
  for (auto& shard : shards) {
    shard->work.emplace(shard->ctx.get_executor());
    shard->thread = std::thread([this, ctx = &shard->ctx] {
      t_io_server = this;
      for (;;) {
        try {
          ctx->run();
          return;
        } catch (const std::exception& e) {
          log::error("http.io_thread_failed").field("error", e.what());
        }
      }
    });
  }
  log::info("http.listening")
      .field("address", endpoint.address().to_string())
      .field("port", static_cast<unsigned>(port.load()))
      .field("io_threads", io_threads)
      .field("worker_threads", std::max(options.worker_threads, 1u));
  return {};
}

Awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    Shard& shard = *shards[next_shard++ % shards.size()];
    auto [ec, socket] = co_await acceptor->async_accept(shard.ctx, kUseTuple);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted || !acceptor->is_open()) {
        co_return;
      }
      log::warn("http.accept_failed").field("error", ec.message());
      // Typically out of file descriptors: back off rather than spin.
      Timer pause(shards.front()->ctx.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    asio::post(shard.ctx, [this, &shard, socket = std::move(socket)]() mutable {
      open_connection(shard, std::move(socket));
    });
  }
}

void Server::Impl::open_connection(Shard& shard, Socket socket) {
  if (shard.stopping) {
    error_code ec;
    socket.close(ec);
    return;
  }
  auto connection = std::make_shared<Connection>(*this, shard, std::move(socket));
  shard.connections.insert(connection.get());
  open_connections.fetch_add(1, std::memory_order_relaxed);
  asio::co_spawn(shard.ctx.get_executor(), Connection::run(std::move(connection)), asio::detached);
}

void Server::Impl::connection_closed(Shard& shard, Connection* connection) {
  shard.connections.erase(connection);
  open_connections.fetch_sub(1, std::memory_order_relaxed);
  if (shard.stopping && shard.connections.empty()) {
    shard_drained(shard);
  }
}

void Server::Impl::stop() {
  if (!started || stopping.exchange(true) || shards.empty() || !acceptor) {
    return;
  }
  log::info("http.stopping").field("connections", open_connections.load());
  auto closed = std::make_shared<std::promise<void>>();
  std::future<void> listening_closed = closed->get_future();
  Shard& first = *shards.front();
  // Posted before the shards' own stop work, so the grace timer exists before any shard can
  // report itself drained (each io_context runs its queue in order).
  asio::post(first.ctx, [this, closed, &first] {
    error_code ec;
    acceptor->close(ec);
    if (signals) {
      signals->cancel(ec);
    }
    grace_timer.emplace(first.ctx.get_executor(), options.shutdown_grace);
    grace_timer->async_wait([this](const error_code& wait_ec) {
      if (!wait_ec) {
        force_stop();
      }
    });
    closed->set_value();
  });
  for (auto& shard : shards) {
    asio::post(shard->ctx, [this, s = shard.get()] { begin_shard_stop(*s); });
  }
  if (t_io_server != this) {
    listening_closed.wait();
  }
}

void Server::Impl::begin_shard_stop(Shard& shard) {
  shard.stopping = true;
  // on_server_stop() only cancels reads; connections leave the set when their coroutine ends.
  for (Connection* connection : shard.connections) {
    connection->on_server_stop();
  }
  if (shard.connections.empty()) {
    shard_drained(shard);
  }
}

void Server::Impl::shard_drained(Shard& shard) {
  if (shard.drained) {
    return;
  }
  shard.drained = true;
  shard.work.reset();
  if (shards_running.fetch_sub(1) == 1) {
    asio::post(shards.front()->ctx, [this] {
      if (grace_timer) {
        grace_timer->cancel();
      }
    });
  }
}

void Server::Impl::force_stop() {
  log::warn("http.shutdown_grace_expired")
      .field("connections", open_connections.load())
      .field("grace_ms", static_cast<int64_t>(options.shutdown_grace.count()));
  for (auto& shard : shards) {
    shard->ctx.stop();
  }
}

void Server::Impl::wait() {
  std::lock_guard lock(wait_mutex);
  if (joined || !started || shards.empty() || !acceptor) {
    return;
  }
  for (auto& shard : shards) {
    if (shard->thread.joinable()) {
      shard->thread.join();
    }
  }
  // Before the io_contexts go: a finishing task posts its completion into one.
  workers.stop();
  metrics::Registry::global().remove(collector_id);
  joined = true;
  log::info("http.stopped");
}

void Server::Impl::watch_signals() {
  asio::post(shards.front()->ctx, [this] {
    if (stopping) {
      return;
    }
    signals.emplace(shards.front()->ctx.get_executor(), SIGINT, SIGTERM);
    signals->async_wait([this](const error_code& ec, int signal_number) {
      if (!ec) {
        log::info("http.signal").field("signal", signal_number);
        stop();
      }
    });
  });
}

void Server::Impl::count_rejected(int status) {
  for (size_t i = 0; i < kRejectedStatuses.size(); ++i) {
    if (kRejectedStatuses[i] == status) {
      rejected[i].fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
}

void Server::Impl::write_metrics(std::string& out) const {
  metrics::write_header(out, "http_connections_open", "Open client connections.", "gauge");
  metrics::write_sample(out, "http_connections_open", "",
                        static_cast<double>(open_connections.load(std::memory_order_relaxed)));
  metrics::write_header(out, "http_worker_queue_depth",
                        "Blocking requests queued or running on the worker pool.", "gauge");
  metrics::write_sample(out, "http_worker_queue_depth", "", static_cast<double>(workers.depth()));
  metrics::write_header(out, "http_rejected_total",
                        "Requests refused before routing (malformed, too large, too slow, busy).",
                        "counter");
  for (size_t i = 0; i < kRejectedStatuses.size(); ++i) {
    metrics::write_sample(out, "http_rejected_total",
                          "status=\"" + std::to_string(kRejectedStatuses[i]) + "\"",
                          static_cast<double>(rejected[i].load(std::memory_order_relaxed)));
  }
}

// --- Server ------------------------------------------------------------------------------

ServerOptions ServerOptions::from(const Config& config) {
  ServerOptions options;
  options.host = config.listen_host;
  options.port = config.listen_port;
  options.io_threads = config.io_threads;
  options.worker_threads = config.worker_threads;
  options.worker_queue = config.worker_queue;
  options.max_body_bytes = config.max_body_bytes;
  options.max_header_bytes = config.max_header_bytes;
  options.header_timeout = config.header_timeout;
  options.body_timeout = config.body_timeout;
  options.idle_timeout = config.idle_timeout;
  options.shutdown_grace = config.shutdown_grace;
  return options;
}

Server::Server(ServerOptions options, Router router, std::vector<Middleware> middleware)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), std::move(middleware))) {}

Server::~Server() = default;

Result<void> Server::start() {
  return impl_->start();
}

uint16_t Server::port() const {
  return impl_->port.load();
}

void Server::stop() {
  impl_->stop();
}

void Server::wait() {
  impl_->wait();
}

void Server::stop_on_signals() {
  if (impl_->started) {
    impl_->watch_signals();
  } else {
    impl_->want_signals = true;
  }
}

}  // namespace atelier::http
