// The blocking client: callers wait on a future while one background thread runs every exchange
// as a coroutine, so pooled connections are only ever touched by that thread.
#include "atelier/http/client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <future>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace atelier::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {

using Executor = asio::io_context::executor_type;
template <class T = void>
using Awaitable = asio::awaitable<T, Executor>;
using Stream = beast::basic_stream<tcp, Executor, beast::unlimited_rate_policy>;
using SteadyTime = std::chrono::steady_clock::time_point;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable_t<Executor>());

struct Target {
  std::string host;
  std::string port;
  std::string path_and_query;
  std::string pool_key;  // host:port
};

Result<Target> parse_url(const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    return Error::bad_request("not a URL: " + url);
  }
  if (parsed->scheme() != "http") {
    return Error::bad_request("only http:// URLs are supported: " + url);
  }
  Target target;
  target.host = std::string(parsed->host_address());
  if (target.host.empty()) {
    return Error::bad_request("URL without a host: " + url);
  }
  target.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  target.path_and_query = std::string(parsed->encoded_path());
  if (target.path_and_query.empty()) {
    target.path_and_query = "/";
  }
  if (parsed->has_query()) {
    target.path_and_query += '?';
    target.path_and_query += std::string(parsed->encoded_query());
  }
  target.pool_key = target.host + ":" + target.port;
  return target;
}

bhttp::verb to_verb(Method method) {
  switch (method) {
    case Method::kGet:
      return bhttp::verb::get;
    case Method::kHead:
      return bhttp::verb::head;
    case Method::kPost:
      return bhttp::verb::post;
    case Method::kPut:
      return bhttp::verb::put;
    case Method::kPatch:
      return bhttp::verb::patch;
    case Method::kDelete:
      return bhttp::verb::delete_;
    case Method::kOptions:
      return bhttp::verb::options;
    case Method::kOther:
      break;
  }
  return bhttp::verb::unknown;
}

bool idempotent(Method method) {
  return method != Method::kPost && method != Method::kPatch;
}

struct PooledConnection {
  explicit PooledConnection(Executor executor) : stream(executor) {}
  Stream stream;
  beast::flat_buffer buffer;
  SteadyTime idle_since{};
};

struct Call {
  Method method;
  Target target;
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout;
  std::promise<Result<ClientResponse>> result;
};

}  // namespace

struct Client::Impl {
  explicit Impl(ClientOptions client_options) : options(client_options) {
    thread = std::thread([this] { ctx.run(); });
  }
  ~Impl() {
    work.reset();
    ctx.stop();
    thread.join();
  }

  Awaitable<void> exchange(std::shared_ptr<Call> call);
  Awaitable<Result<std::unique_ptr<PooledConnection>>> connect(const Target& target,
                                                               SteadyTime deadline);
  std::unique_ptr<PooledConnection> take_idle(const std::string& key);
  void put_idle(const std::string& key, std::unique_ptr<PooledConnection> connection);

  ClientOptions options;
  asio::io_context ctx{1};
  asio::executor_work_guard<Executor> work{ctx.get_executor()};
  std::thread thread;
  // Touched only by the client thread.
  std::unordered_map<std::string, std::vector<std::unique_ptr<PooledConnection>>> idle;
};

std::unique_ptr<PooledConnection> Client::Impl::take_idle(const std::string& key) {
  const auto it = idle.find(key);
  if (it == idle.end()) {
    return nullptr;
  }
  const SteadyTime oldest = std::chrono::steady_clock::now() - options.idle_timeout;
  auto& pool = it->second;
  while (!pool.empty()) {
    std::unique_ptr<PooledConnection> connection = std::move(pool.back());
    pool.pop_back();
    if (connection->idle_since >= oldest && connection->stream.socket().is_open()) {
      return connection;
    }
  }
  return nullptr;
}

void Client::Impl::put_idle(const std::string& key, std::unique_ptr<PooledConnection> connection) {
  auto& pool = idle[key];
  if (pool.size() >= options.max_idle_per_host) {
    return;
  }
  connection->idle_since = std::chrono::steady_clock::now();
  pool.push_back(std::move(connection));
}

Awaitable<Result<std::unique_ptr<PooledConnection>>> Client::Impl::connect(const Target& target,
                                                                           SteadyTime deadline) {
  asio::ip::basic_resolver<tcp, Executor> resolver(ctx.get_executor());
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(target.host, target.port, kUseTuple);
  if (resolve_ec) {
    co_return Error::unavailable("cannot resolve " + target.host + ": " + resolve_ec.message());
  }
  auto connection = std::make_unique<PooledConnection>(ctx.get_executor());
  const SteadyTime connect_deadline =
      std::min(deadline, std::chrono::steady_clock::now() + options.connect_timeout);
  connection->stream.expires_at(connect_deadline);
  auto [connect_ec, endpoint] = co_await connection->stream.async_connect(endpoints, kUseTuple);
  if (connect_ec) {
    if (connect_ec == beast::error::timeout) {
      co_return Error{ErrorCode::kTimeout, "connect to " + target.pool_key + " timed out", {}, {}};
    }
    co_return Error::unavailable("cannot connect to " + target.pool_key + ": " +
                                 connect_ec.message());
  }
  connection->stream.socket().set_option(tcp::no_delay(true));
  co_return std::move(connection);
}

Awaitable<void> Client::Impl::exchange(std::shared_ptr<Call> call) {
  const SteadyTime deadline = std::chrono::steady_clock::now() + call->timeout;
  const Target& target = call->target;

  bhttp::request<bhttp::string_body> request(to_verb(call->method), target.path_and_query, 11);
  request.set(bhttp::field::host, target.pool_key);
  request.set(bhttp::field::user_agent, "atelier");
  for (const auto& [name, value] : call->headers) {
    request.insert(name, value);
  }
  request.body() = std::move(call->body);
  request.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<PooledConnection> connection = take_idle(target.pool_key);
    const bool reused = connection != nullptr;
    if (!connection) {
      auto connected = co_await connect(target, deadline);
      if (!connected) {
        call->result.set_value(std::move(connected).error());
        co_return;
      }
      connection = std::move(connected.value());
    }
    Stream& stream = connection->stream;
    stream.expires_at(deadline);
    auto [write_ec, written] = co_await bhttp::async_write(stream, request, kUseTuple);

    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options.max_response_bytes);
    parser.header_limit(64 * 1024);
    if (call->method == Method::kHead) {
      parser.skip(true);
    }
    // A server may answer before it has read the whole body (413 for a body over its limit)
    // and close the connection: the write then fails, but on a fresh connection the answer is
    // there to read, and it says more than "broken pipe".
    const bool answered_early = !reused && (write_ec == asio::error::broken_pipe ||
                                            write_ec == asio::error::connection_reset);
    error_code read_ec;
    if (!write_ec || answered_early) {
      std::tie(read_ec, std::ignore) =
          co_await bhttp::async_read(stream, connection->buffer, parser, kUseTuple);
    }
    const error_code ec = answered_early && !read_ec ? error_code{} : write_ec ? write_ec : read_ec;
    if (ec) {
      // A pooled connection the server closed while it sat idle fails at once; run it again on a
      // fresh connection when repeating it is harmless.
      const bool stale = reused && ec != beast::error::timeout &&
                         (write_ec || (idempotent(call->method) && !parser.got_some()));
      if (stale && attempt == 0) {
        continue;
      }
      if (ec == beast::error::timeout) {
        call->result.set_value(Error{ErrorCode::kTimeout,
                                     std::string(method_name(call->method)) + " " +
                                         target.pool_key + target.path_and_query + " timed out",
                                     {},
                                     {}});
      } else {
        call->result.set_value(
            Error::unavailable("request to " + target.pool_key + " failed: " + ec.message()));
      }
      co_return;
    }

    auto message = parser.release();
    ClientResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      response.headers.add(field.name_string(), field.value());
    }
    response.body = std::move(message.body());
    if (!write_ec && message.keep_alive() && connection->buffer.size() == 0) {
      stream.expires_never();
      put_idle(target.pool_key, std::move(connection));
    }
    call->result.set_value(std::move(response));
    co_return;
  }
}

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(options)) {}

Client::~Client() = default;

Result<ClientResponse> Client::request(Method method, std::string url, Headers headers,
                                       std::string body, std::chrono::milliseconds timeout) {
  if (method == Method::kOther) {
    return Error::bad_request("the client sends standard methods only");
  }
  auto target = parse_url(url);
  if (!target) {
    return std::move(target).error();
  }
  auto call = std::make_shared<Call>(
      Call{method, std::move(target.value()), std::move(headers), std::move(body), timeout, {}});
  std::future<Result<ClientResponse>> result = call->result.get_future();
  asio::co_spawn(impl_->ctx.get_executor(), impl_->exchange(call),
                 [call](std::exception_ptr error) {
                   if (error) {
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       call->result.set_value(Error::internal(e.what()));
                     } catch (...) {
                       call->result.set_value(Error::internal("client exchange failed"));
                     }
                   }
                 });
  return result.get();
}

}  // namespace atelier::http
