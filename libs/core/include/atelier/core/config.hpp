// Process configuration: defaults, then an optional `key = value` file, then ATELIER_* environment
// variables (ATELIER_LISTEN overrides `listen`). Every value is validated at start-up and a bad one
// is reported with the key that holds it, so the process never runs on a half-understood config.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "atelier/core/error.hpp"
#include "atelier/core/log.hpp"

namespace atelier {

enum class DatabaseKind { kSqlite, kPostgres };

struct Config {
  // Network
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;
  unsigned io_threads = 0;       // 0: one per core
  unsigned worker_threads = 8;   // for handlers that block (database work)
  unsigned worker_queue = 1024;  // requests waiting for a worker before 503

  // Limits and timeouts
  uint64_t max_body_bytes = 16ull << 20;
  uint32_t max_header_bytes = 16u << 10;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds shutdown_grace{10'000};

  // Services: empty means all.
  std::vector<std::string> services;

  // Storage
  std::filesystem::path data_dir = "data";
  DatabaseKind database = DatabaseKind::kSqlite;
  std::string postgres_url;  // libpq connection string or URI
  // Prepended to each service's schema name, so that several platforms can share one database.
  std::string postgres_schema_prefix;
  unsigned db_pool_size = 8;

  // Web
  std::filesystem::path web_root = "web/dist";
  std::vector<std::string> cors_origins;  // "*" allows any origin
  // The address people and clients reach this platform at (the token issuer, links in emails).
  // Empty: http://<listen>.
  std::string public_url;
  std::string issuer() const;

  // Tokens (identity service)
  // How long one Ed25519 key signs tokens before a new one takes over.
  std::chrono::seconds signing_key_rotation{30 * 24 * 3600};
  // How long an OAuth authorization code may wait to be exchanged.
  std::chrono::seconds oauth_code_ttl{60};
  // The 32-byte key that seals secrets the identity service stores (TOTP secrets, signing keys'
  // private keys; ADR 0012). ATELIER_SECRETS_KEY (64 hex digits) wins and nothing is written;
  // otherwise the key file, made on first start when missing. Empty file: <data_dir>/secrets.key.
  std::filesystem::path secrets_key_file;
  std::string secrets_key;  // a secret: from the environment, never logged nor shown
  std::filesystem::path secrets_key_path() const;

  // Planning (tasks service)
  // How long the scheduler lets a burst of changes settle before computing the schedule once for
  // all of them (an import, a drag on the Gantt chart). 0 computes at once.
  std::chrono::milliseconds schedule_quiet_period{50};

  // Documents service
  uint64_t documents_quota_bytes = 10ull << 30;      // stored bytes per organisation
  uint64_t documents_max_upload_bytes = 1ull << 30;  // one upload
  std::chrono::hours documents_retention{24 * 30};   // deleted documents before the purge

  // VisioBook service
  uint64_t visiobook_max_source_bytes = 64ull << 20;  // one book's source file
  unsigned visiobook_workers = 1;                     // pipeline runs at once
  unsigned visiobook_video_fps = 25;
  std::string visiobook_video_preset = "veryfast";  // x264: ultrafast .. slow
  // External model servers, each off while its URL is empty (the default: VisioBook never needs
  // a network). http:// roots of OpenAI-compatible servers; the /v1/... paths are added.
  std::string visiobook_chat_url;  // analysis: scenes' summaries and tone
  std::string visiobook_chat_model = "gpt-4o-mini";
  std::string visiobook_images_url;  // panels
  std::string visiobook_images_model = "dall-e-3";
  std::string visiobook_speech_url;  // narration
  std::string visiobook_speech_model = "tts-1";
  std::string visiobook_speech_voice = "alloy";
  // Their Bearer token, from ATELIER_VISIOBOOK_API_KEY: a secret, never logged nor shown.
  std::string visiobook_api_key;

  // Logging
  log::Level log_level = log::Level::kInfo;
  bool access_log = true;

  bool runs_service(std::string_view name) const;

  using Env = std::map<std::string, std::string>;

  // Builds a config from defaults, the file (when given) and the environment. Errors name the
  // offending key and where it came from: "ATELIER_IO_THREADS: expected an integer ...".
  static Result<Config> load(const std::optional<std::filesystem::path>& file, const Env& env);
  // The current process environment, ATELIER_* variables only.
  static Env process_env();
  // Applies one `key = value` setting (file key names); used by load() and by command-line flags.
  Result<void> set(std::string_view key, std::string_view value);
  // Every key with its description and default, for `atelier help config` and the docs.
  static std::vector<std::pair<std::string, std::string>> describe();
};

}  // namespace atelier
