#include "atelier/core/config.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>

extern char** environ;

namespace atelier {

namespace {

using Setter = std::function<std::optional<std::string>(Config&, std::string_view)>;

struct KeySpec {
  std::string_view name;
  std::string_view description;
  Setter set;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

template <class T>
std::optional<std::string> parse_uint(std::string_view v, T lo, T hi, T& out) {
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi) {
    return "expected an integer between " + std::to_string(lo) + " and " + std::to_string(hi) +
           ", got '" + std::string(v) + "'";
  }
  out = static_cast<T>(n);
  return std::nullopt;
}

// Sizes accept a plain byte count or a K/M/G suffix (powers of 1024): "16M".
std::optional<std::string> parse_size(std::string_view v, uint64_t lo, uint64_t hi, uint64_t& out) {
  uint64_t mult = 1;
  std::string_view digits = v;
  if (!v.empty()) {
    switch (v.back()) {
      case 'K':
      case 'k':
        mult = 1ull << 10;
        break;
      case 'M':
      case 'm':
        mult = 1ull << 20;
        break;
      case 'G':
      case 'g':
        mult = 1ull << 30;
        break;
      default:
        break;
    }
    if (mult != 1) {
      digits.remove_suffix(1);
    }
  }
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size() || n > hi / mult ||
      n * mult < lo) {
    return "expected a size between " + std::to_string(lo) + " and " + std::to_string(hi) +
           " bytes (suffix K, M or G allowed), got '" + std::string(v) + "'";
  }
  out = n * mult;
  return std::nullopt;
}

std::optional<std::string> parse_bool(std::string_view v, bool& out) {
  if (v == "true" || v == "1" || v == "yes" || v == "on") {
    out = true;
  } else if (v == "false" || v == "0" || v == "no" || v == "off") {
    out = false;
  } else {
    return "expected true or false, got '" + std::string(v) + "'";
  }
  return std::nullopt;
}

std::optional<std::string> parse_ms(std::string_view v, std::chrono::milliseconds& out) {
  uint64_t n = 0;
  if (auto err = parse_uint<uint64_t>(v, 1, 86'400'000, n)) {
    return "expected milliseconds between 1 and 86400000, got '" + std::string(v) + "'";
  }
  out = std::chrono::milliseconds(n);
  return std::nullopt;
}

// An http:// URL with a host, or empty (off). The HTTP client speaks no TLS.
std::optional<std::string> parse_http_url(std::string_view v, std::string& out) {
  constexpr std::string_view kScheme = "http://";
  if (!v.empty() && (!v.starts_with(kScheme) || v.size() == kScheme.size() ||
                     v[kScheme.size()] == '/' || v.find_first_of(" \t?#") != v.npos)) {
    return "expected an http:// URL (https is not supported; put a local proxy in front), or "
           "nothing to turn it off, got '" +
           std::string(v) + "'";
  }
  out = std::string(v);
  return std::nullopt;
}

std::optional<std::string> parse_name(std::string_view v, std::string& out) {
  if (v.empty() || v.size() > 200) {
    return "expected a name of 1 to 200 characters, got '" + std::string(v) + "'";
  }
  out = std::string(v);
  return std::nullopt;
}

std::vector<std::string> split_list(std::string_view v) {
  std::vector<std::string> out;
  while (!v.empty()) {
    const size_t comma = v.find(',');
    const auto item = trim(v.substr(0, comma));
    if (!item.empty()) {
      out.emplace_back(item);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    v.remove_prefix(comma + 1);
  }
  return out;
}

const std::vector<KeySpec>& key_specs() {
  static const std::vector<KeySpec> specs = {
      {"listen", "host:port to listen on (port 0 picks a free one)",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         const size_t colon = v.rfind(':');
         if (colon == std::string_view::npos || colon == 0) {
           return "expected host:port, got '" + std::string(v) + "'";
         }
         std::string_view host = v.substr(0, colon);
         if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
           host = host.substr(1, host.size() - 2);
         }
         uint16_t port = 0;
         if (auto err = parse_uint<uint16_t>(v.substr(colon + 1), 0, 65535, port)) {
           return "port: " + *err;
         }
         c.listen_host = std::string(host);
         c.listen_port = port;
         return std::nullopt;
       }},
      {"io_threads", "threads running the network event loop (0 = one per core)",
       [](Config& c, std::string_view v) { return parse_uint<unsigned>(v, 0, 256, c.io_threads); }},
      {"worker_threads", "threads for handlers that block, such as database work",
       [](Config& c, std::string_view v) {
         return parse_uint<unsigned>(v, 1, 1024, c.worker_threads);
       }},
      {"worker_queue", "requests that may wait for a worker before the server answers 503",
       [](Config& c, std::string_view v) {
         return parse_uint<unsigned>(v, 1, 1'000'000, c.worker_queue);
       }},
      {"max_body_bytes", "largest request body accepted (413 beyond)",
       [](Config& c, std::string_view v) {
         return parse_size(v, 1024, 64ull << 30, c.max_body_bytes);
       }},
      {"max_header_bytes", "largest request head accepted (431 beyond)",
       [](Config& c, std::string_view v) {
         uint64_t n = 0;
         auto err = parse_size(v, 1024, 1u << 20, n);
         c.max_header_bytes = static_cast<uint32_t>(n);
         return err;
       }},
      {"header_timeout_ms", "time a client has to send the request head (408 after)",
       [](Config& c, std::string_view v) { return parse_ms(v, c.header_timeout); }},
      {"body_timeout_ms", "time a client has to send the request body (408 after)",
       [](Config& c, std::string_view v) { return parse_ms(v, c.body_timeout); }},
      {"idle_timeout_ms", "how long an idle keep-alive connection stays open",
       [](Config& c, std::string_view v) { return parse_ms(v, c.idle_timeout); }},
      {"shutdown_grace_ms", "how long shutdown waits for requests in flight",
       [](Config& c, std::string_view v) { return parse_ms(v, c.shutdown_grace); }},
      {"services", "comma-separated services to run in this process, or 'all'",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         c.services = split_list(v);
         if (c.services.size() == 1 && c.services[0] == "all") {
           c.services.clear();
         }
         return std::nullopt;
       }},
      {"data_dir", "directory for the SQLite files and the local object store",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         if (v.empty()) {
           return std::string("must not be empty");
         }
         c.data_dir = std::string(v);
         return std::nullopt;
       }},
      {"database", "sqlite (embedded default) or postgres",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         if (v == "sqlite") {
           c.database = DatabaseKind::kSqlite;
         } else if (v == "postgres" || v == "postgresql") {
           c.database = DatabaseKind::kPostgres;
         } else {
           return "expected sqlite or postgres, got '" + std::string(v) + "'";
         }
         return std::nullopt;
       }},
      {"postgres_url", "libpq connection string, used when database = postgres",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         c.postgres_url = std::string(v);
         return std::nullopt;
       }},
      {"postgres_schema_prefix",
       "prepended to each service's PostgreSQL schema (several platforms in one database)",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         const bool ok =
             v.size() <= 40 &&
             std::all_of(v.begin(), v.end(),
                         [](char ch) {
                           return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
                         }) &&
             (v.empty() || !(v.front() >= '0' && v.front() <= '9'));
         if (!ok) {
           return "expected up to 40 of a-z, 0-9 and _, not starting with a digit, got '" +
                  std::string(v) + "'";
         }
         c.postgres_schema_prefix = std::string(v);
         return std::nullopt;
       }},
      {"db_pool_size", "database connections per service",
       [](Config& c, std::string_view v) {
         return parse_uint<unsigned>(v, 1, 256, c.db_pool_size);
       }},
      {"web_root", "directory of the built web portal, served at /",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         c.web_root = std::string(v);
         return std::nullopt;
       }},
      {"cors_origins", "comma-separated origins allowed by CORS ('*' for any; empty for none)",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         c.cors_origins = split_list(v);
         return std::nullopt;
       }},
      {"public_url", "the URL people reach Atelier at, e.g. https://atelier.example.com",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
           return "expected an http:// or https:// URL, got '" + std::string(v) + "'";
         }
         c.public_url = std::string(v);
         while (!c.public_url.empty() && c.public_url.back() == '/') {
           c.public_url.pop_back();
         }
         return std::nullopt;
       }},
      {"signing_key_rotation_days", "days one token-signing key signs before the next takes over",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         unsigned days = 0;
         if (auto err = parse_uint<unsigned>(v, 1, 3650, days)) {
           return err;
         }
         c.signing_key_rotation = std::chrono::hours(24) * days;
         return std::nullopt;
       }},
      {"secrets_key_file",
       "file holding the key that seals TOTP secrets and signing keys in the database (64 hex "
       "digits, mode 0600; made on first start when missing; default <data_dir>/secrets.key). "
       "Back it up with the database: without it those secrets are lost",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         c.secrets_key_file = std::string(v);
         return std::nullopt;
       }},
      {"secrets_key",
       "the key that seals TOTP secrets and signing keys, as 64 hex digits; when set it is used "
       "instead of secrets_key_file and nothing is written (every identity process must share "
       "it; a secret: set it in the environment; never logged)",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         const bool hex = v.size() == 64 &&
                          v.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
         if (!v.empty() && !hex) {
           // The value itself stays out of the message: it is a secret.
           return "expected 64 hex digits (32 bytes), got " + std::to_string(v.size()) +
                  " characters";
         }
         c.secrets_key = std::string(v);
         return std::nullopt;
       }},
      {"oauth_code_ttl_seconds", "how long an OAuth authorization code may wait to be exchanged",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         unsigned seconds = 0;
         if (auto err = parse_uint<unsigned>(v, 10, 600, seconds)) {
           return err;
         }
         c.oauth_code_ttl = std::chrono::seconds(seconds);
         return std::nullopt;
       }},
      {"schedule_quiet_period_ms",
       "how long the scheduler lets a burst of plan changes settle before computing (0 to 60000)",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         unsigned ms = 0;
         if (auto err = parse_uint<unsigned>(v, 0, 60'000, ms)) {
           return err;
         }
         c.schedule_quiet_period = std::chrono::milliseconds(ms);
         return std::nullopt;
       }},
      {"documents_quota_bytes", "stored document bytes per organisation (suffix K, M or G)",
       [](Config& c, std::string_view v) {
         return parse_size(v, 1, 1ull << 50, c.documents_quota_bytes);
       }},
      {"documents_max_upload_bytes", "largest document upload (suffix K, M or G)",
       [](Config& c, std::string_view v) {
         return parse_size(v, 1, 1ull << 40, c.documents_max_upload_bytes);
       }},
      {"documents_retention_days", "days a deleted document can be restored before it is purged",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         unsigned days = 0;
         if (auto err = parse_uint<unsigned>(v, 1, 3650, days)) {
           return err;
         }
         c.documents_retention = std::chrono::hours(24) * days;
         return std::nullopt;
       }},
      {"visiobook_max_source_bytes", "largest book source file (suffix K, M or G)",
       [](Config& c, std::string_view v) {
         return parse_size(v, 1, 1ull << 32, c.visiobook_max_source_bytes);
       }},
      {"visiobook_workers", "VisioBook pipeline runs at once (0 to 16; 0 runs none)",
       [](Config& c, std::string_view v) {
         return parse_uint<unsigned>(v, 0, 16, c.visiobook_workers);
       }},
      {"visiobook_video_fps", "frames per second of VisioBook videos (5 to 60)",
       [](Config& c, std::string_view v) {
         return parse_uint<unsigned>(v, 5, 60, c.visiobook_video_fps);
       }},
      {"visiobook_video_preset",
       "x264 preset of VisioBook videos: ultrafast, superfast, veryfast, faster, fast, medium, "
       "slow",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         for (std::string_view p :
              {"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow"}) {
           if (v == p) {
             c.visiobook_video_preset = std::string(v);
             return std::nullopt;
           }
         }
         return "one of ultrafast, superfast, veryfast, faster, fast, medium, slow";
       }},
      {"visiobook_chat_url",
       "root of an OpenAI-compatible chat server (http://host:port) that writes the VisioBook "
       "scenes' summaries and tone; empty (the default) keeps the classical analysis",
       [](Config& c, std::string_view v) { return parse_http_url(v, c.visiobook_chat_url); }},
      {"visiobook_chat_model", "model name sent to the VisioBook chat server",
       [](Config& c, std::string_view v) { return parse_name(v, c.visiobook_chat_model); }},
      {"visiobook_images_url",
       "root of an OpenAI-style images server (http://host:port) that draws the VisioBook "
       "panels; empty (the default) draws them locally",
       [](Config& c, std::string_view v) { return parse_http_url(v, c.visiobook_images_url); }},
      {"visiobook_images_model", "model name sent to the VisioBook images server",
       [](Config& c, std::string_view v) { return parse_name(v, c.visiobook_images_model); }},
      {"visiobook_speech_url",
       "root of an OpenAI-style speech server (http://host:port, 16-bit mono WAV answers) that "
       "speaks the VisioBook narration; empty (the default) speaks it locally",
       [](Config& c, std::string_view v) { return parse_http_url(v, c.visiobook_speech_url); }},
      {"visiobook_speech_model", "model name sent to the VisioBook speech server",
       [](Config& c, std::string_view v) { return parse_name(v, c.visiobook_speech_model); }},
      {"visiobook_speech_voice", "voice name sent to the VisioBook speech server",
       [](Config& c, std::string_view v) { return parse_name(v, c.visiobook_speech_voice); }},
      {"visiobook_api_key",
       "Bearer token for the VisioBook chat, images and speech servers (a secret: set it in the "
       "environment; never logged)",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         c.visiobook_api_key = std::string(v);
         return std::nullopt;
       }},
      {"log_level", "debug, info, warn or error",
       [](Config& c, std::string_view v) -> std::optional<std::string> {
         if (!log::parse_level(v, c.log_level)) {
           return "expected debug, info, warn or error, got '" + std::string(v) + "'";
         }
         return std::nullopt;
       }},
      {"access_log", "one log line per request (true or false)",
       [](Config& c, std::string_view v) { return parse_bool(v, c.access_log); }},
  };
  return specs;
}

const KeySpec* find_spec(std::string_view key) {
  for (const auto& spec : key_specs()) {
    if (spec.name == key) {
      return &spec;
    }
  }
  return nullptr;
}

std::string env_name(std::string_view key) {
  std::string out = "ATELIER_";
  for (char c : key) {
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::string Config::issuer() const {
  if (!public_url.empty()) {
    return public_url;
  }
  const bool v6 = listen_host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + listen_host + "]" : listen_host) + ":" +
         std::to_string(listen_port);
}

std::filesystem::path Config::secrets_key_path() const {
  return secrets_key_file.empty() ? data_dir / "secrets.key" : secrets_key_file;
}

bool Config::runs_service(std::string_view name) const {
  return services.empty() || std::find(services.begin(), services.end(), name) != services.end();
}

Result<void> Config::set(std::string_view key, std::string_view value) {
  const KeySpec* spec = find_spec(key);
  if (spec == nullptr) {
    return Error::invalid("unknown configuration key '" + std::string(key) + "'");
  }
  if (auto err = spec->set(*this, trim(value))) {
    return Error::invalid(std::string(key) + ": " + *err);
  }
  return {};
}

Result<Config> Config::load(const std::optional<std::filesystem::path>& file, const Env& env) {
  Config config;
  if (file) {
    std::ifstream in(*file);
    if (!in) {
      return Error::invalid("cannot read config file '" + file->string() + "'");
    }
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      std::string_view l = trim(line);
      if (l.empty() || l.front() == '#') {
        continue;
      }
      const size_t eq = l.find('=');
      const std::string where = file->string() + ":" + std::to_string(line_no);
      if (eq == std::string_view::npos) {
        return Error::invalid(where + ": expected 'key = value', got '" + std::string(l) + "'");
      }
      if (auto r = config.set(trim(l.substr(0, eq)), trim(l.substr(eq + 1))); !r) {
        return Error::invalid(where + ": " + r.error().message);
      }
    }
  }
  for (const auto& [name, value] : env) {
    if (name.rfind("ATELIER_", 0) != 0 || name.rfind("ATELIER_TEST_", 0) == 0) {
      continue;  // ATELIER_TEST_* belong to the test suite, not to the server
    }
    const KeySpec* spec = nullptr;
    for (const auto& s : key_specs()) {
      if (env_name(s.name) == name) {
        spec = &s;
      }
    }
    if (spec == nullptr) {
      return Error::invalid(name + ": unknown setting (see `atelier help config`)");
    }
    if (auto err = spec->set(config, trim(value))) {
      return Error::invalid(name + ": " + *err);
    }
  }
  if (config.database == DatabaseKind::kPostgres && config.postgres_url.empty()) {
    return Error::invalid("postgres_url: required when database = postgres");
  }
  return config;
}

Config::Env Config::process_env() {
  Env env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.rfind("ATELIER_", 0) != 0) {
      continue;
    }
    const size_t eq = entry.find('=');
    if (eq != std::string_view::npos) {
      env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
  }
  return env;
}

std::vector<std::pair<std::string, std::string>> Config::describe() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& spec : key_specs()) {
    out.emplace_back(std::string(spec.name),
                     std::string(spec.description) + " [" + env_name(spec.name) + "]");
  }
  return out;
}

}  // namespace atelier
