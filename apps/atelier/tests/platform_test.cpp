// The whole process as a user runs it: the platform on an ephemeral port, spoken to over HTTP, and
// the `atelier` binary's command line.
#include "platform.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "atelier/http/client.hpp"
#include "backend.hpp"

namespace atelier::app {
namespace {

std::filesystem::path temp_dir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("atelier_platform_test_" + db::testing::random_suffix());
  std::filesystem::create_directories(dir);
  return dir;
}

Config test_config(const std::filesystem::path& dir) {
  auto config = Config::load(std::nullopt, {});
  EXPECT_TRUE(config);
  config->listen_port = 0;
  config->data_dir = dir / "data";
  config->web_root = dir / "web";
  config->io_threads = 2;
  config->access_log = false;
  return *config;
}

class PlatformTest : public ::testing::Test {
 protected:
  void TearDown() override {
    platform_.reset();
    std::filesystem::remove_all(dir_);
  }

  void start(const Config& config) {
    auto platform = Platform::open(config);
    ASSERT_TRUE(platform) << platform.error().message;
    platform_ = std::move(platform).value();
    ASSERT_TRUE(platform_->migrate());
    auto started = platform_->start();
    ASSERT_TRUE(started) << started.error().message;
  }

  http::ClientResponse get(const std::string& path) {
    auto r = client_.request(http::Method::kGet, platform_->url() + path);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  std::filesystem::path dir_ = temp_dir();
  std::unique_ptr<Platform> platform_;
  http::Client client_;
};

TEST_F(PlatformTest, ServesHealthVersionAndALandingPageOnSqlite) {
  start(test_config(dir_));
  EXPECT_EQ(get("/health/live").status, 200);
  auto ready = get("/health/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_NE(ready.body.find("database:platform"), std::string::npos) << ready.body;
  auto version = get("/api/v1/version");
  EXPECT_EQ(version.status, 200);
  EXPECT_EQ(boost::json::parse(version.body).at("name").as_string(), "atelier");
  auto landing = get("/");
  EXPECT_EQ(landing.status, 200);
  EXPECT_NE(landing.body.find("Atelier is running"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "data" / "platform.db"));
}

// "GET /api/v1/projects/{id}" and "GET /api/v1/projects/{project_id}" name the same operation.
std::string without_parameter_names(std::string_view route) {
  std::string out;
  bool in_braces = false;
  for (char c : route) {
    if (c == '{') {
      in_braces = true;
      out += "{}";
    } else if (c == '}') {
      in_braces = false;
    } else if (!in_braces) {
      out += c;
    }
  }
  return out;
}

// The operations of contracts/openapi/*.yaml, read off their layout: paths two spaces in, their
// methods four.
std::set<std::string> documented_operations() {
  std::set<std::string> operations;
  for (const auto& entry : std::filesystem::directory_iterator(ATELIER_OPENAPI_DIR)) {
    if (entry.path().extension() != ".yaml") {
      continue;
    }
    std::ifstream in(entry.path());
    std::string line;
    std::string path;
    while (std::getline(in, line)) {
      if (line.rfind("  /", 0) == 0 && line.back() == ':') {
        path = line.substr(2, line.size() - 3);
        continue;
      }
      if (line.size() > 4 && line[0] != ' ') {
        path.clear();  // a new top-level section: components, ...
      }
      for (const char* method : {"get", "put", "post", "patch", "delete", "head", "options"}) {
        if (!path.empty() && line == std::string("    ") + method + ":") {
          std::string upper(method);
          for (char& c : upper) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          }
          operations.insert(upper + " " + without_parameter_names(path));
        }
      }
    }
  }
  return operations;
}

TEST_F(PlatformTest, EveryRouteIsDocumentedInTheOpenApiContracts) {
  start(test_config(dir_));
  const std::set<std::string> documented = documented_operations();
  ASSERT_GT(documented.size(), 20u);
  std::vector<std::string> missing;
  for (const std::string& route : platform_->routes()) {
    if (route == "GET /" || route.find("{*") != std::string::npos) {
      continue;  // the portal's files and its SPA fallback
    }
    if (!documented.contains(without_parameter_names(route))) {
      missing.push_back(route);
    }
  }
  EXPECT_TRUE(missing.empty()) << "not in contracts/openapi: " << ::testing::PrintToString(missing);
}

TEST_F(PlatformTest, UnknownRoutesAreProblemJson) {
  start(test_config(dir_));
  auto missing = get("/api/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers.get("Content-Type"), "application/problem+json");
  EXPECT_EQ(boost::json::parse(missing.body).at("status").as_int64(), 404);
}

TEST_F(PlatformTest, MetricsCountRequestsByRouteAndStatus) {
  start(test_config(dir_));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(get("/api/v1/version").status, 200);
  }
  const auto metrics = get("/metrics").body;
  EXPECT_NE(metrics.find("route=\"/api/v1/version\""), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("status=\"200\""), std::string::npos) << metrics;
}

TEST_F(PlatformTest, ServesTheBuiltPortalWithSpaFallback) {
  auto config = test_config(dir_);
  std::filesystem::create_directories(config.web_root / "assets");
  std::ofstream(config.web_root / "index.html") << "<!doctype html><title>portal</title>";
  std::ofstream(config.web_root / "assets" / "app-1a2b.js") << "console.log(1)";
  start(config);
  auto index = get("/projects/123/gantt");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("portal"), std::string::npos);
  auto asset = get("/assets/app-1a2b.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_NE(asset.headers.get("Cache-Control").find("immutable"), std::string::npos);
  EXPECT_EQ(get("/api/v1/unknown").status, 404) << "the API must not fall back to the portal";
}

TEST_F(PlatformTest, RunsOnPostgres) {
  const char* url = std::getenv("ATELIER_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    const char* require = std::getenv("ATELIER_TEST_REQUIRE_POSTGRES");
    if (require != nullptr && std::string_view(require) == "1") {
      FAIL() << "ATELIER_TEST_POSTGRES_URL is not set";
    }
    GTEST_SKIP() << "run through scripts/with-postgres to cover PostgreSQL";
  }
  auto config = test_config(dir_);
  config.database = DatabaseKind::kPostgres;
  config.postgres_url = url;
  start(config);
  auto ready = get("/health/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "data" / "platform.db"));
}

TEST_F(PlatformTest, AnUnknownServiceIsRefusedByName) {
  auto config = test_config(dir_);
  config.services = {"warehouse"};
  auto platform = Platform::open(config);
  ASSERT_FALSE(platform);
  EXPECT_NE(platform.error().message.find("'warehouse'"), std::string::npos);
}

TEST_F(PlatformTest, APortInUseIsAClearError) {
  start(test_config(dir_));
  auto config = test_config(dir_);
  config.listen_port = platform_->port();
  auto second = Platform::open(config);
  ASSERT_TRUE(second);
  auto started = (*second)->start();
  EXPECT_FALSE(started);
}

// --- the binary ------------------------------------------------------------------------

struct Run {
  int exit_code = -1;
  std::string out;
};

Run run_binary(const std::string& args_and_env) {
  Run r;
  FILE* p = ::popen((args_and_env + " 2>&1").c_str(), "r");
  if (p == nullptr) {
    return r;
  }
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
    r.out.append(buf, n);
  }
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(AtelierBinary, PrintsItsVersion) {
  auto r = run_binary(std::string(ATELIER_BINARY) + " version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("atelier ", 0), 0u) << r.out;
}

TEST(AtelierBinary, ABadSettingStopsStartUpNamingTheVariable) {
  auto r = run_binary("ATELIER_IO_THREADS=many " + std::string(ATELIER_BINARY) + " serve");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("ATELIER_IO_THREADS"), std::string::npos) << r.out;
}

TEST(AtelierBinary, UnknownCommandsAndOptionsPrintUsage) {
  EXPECT_EQ(run_binary(std::string(ATELIER_BINARY) + " frobnicate").exit_code, 2);
  auto r = run_binary(std::string(ATELIER_BINARY) + " serve --colour=blue");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--colour"), std::string::npos) << r.out;
}

TEST(AtelierBinary, MigrateThenServeAndStopOnSigterm) {
  const auto dir = temp_dir();
  const std::string env = "ATELIER_DATA_DIR=" + (dir / "data").string() +
                          " ATELIER_WEB_ROOT=" + (dir / "web").string() + " ";
  auto migrated = run_binary(env + ATELIER_BINARY + " migrate");
  ASSERT_EQ(migrated.exit_code, 0) << migrated.out;
  EXPECT_NE(migrated.out.find("migrate.done"), std::string::npos);

  // serve on a free port, read the URL it prints, ask it for readiness, then SIGTERM it.
  int out_pipe[2];
  ASSERT_EQ(::pipe(out_pipe), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_pipe[1], 1);
    ::close(out_pipe[0]);
    ::setenv("ATELIER_DATA_DIR", (dir / "data").c_str(), 1);
    ::setenv("ATELIER_WEB_ROOT", (dir / "web").c_str(), 1);
    ::execl(ATELIER_BINARY, ATELIER_BINARY, "serve", "--listen", "127.0.0.1:0", nullptr);
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  std::string line;
  char c;
  while (::read(out_pipe[0], &c, 1) == 1 && c != '\n') {
    line += c;
  }
  ::close(out_pipe[0]);
  const auto at = line.find("http://");
  ASSERT_NE(at, std::string::npos) << "printed: " << line;
  std::string url = line.substr(at);
  if (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  http::Client client;
  auto ready = client.request(http::Method::kGet, url + "/health/ready");
  ASSERT_TRUE(ready) << ready.error().message;
  EXPECT_EQ(ready->status, 200);

  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace atelier::app
