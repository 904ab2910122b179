#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "atelier/http/server.hpp"

namespace atelier::http {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, std::string_view content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// A web root like Vite's output, plus a secret beside it that must stay unreachable.
class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("atelier-static-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    write_file(root_ / "index.html", "<!doctype html><title>Atelier</title>");
    write_file(root_ / "assets" / "app.3f2a.js", "console.log(1)");
    write_file(root_ / "assets" / "app.3f2a.css", "body{}");
    write_file(root_ / "favicon.ico", "ico");
    write_file(root_ / "docs" / "index.html", "<p>docs</p>");
    write_file(root_ / ".env", "SECRET=1");
    write_file(base_ / "secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
    fs::create_symlink(root_ / "favicon.ico", root_ / "alias.ico");
  }
  void TearDown() override { fs::remove_all(base_); }

  Response get(std::string path, bool spa = true, std::string if_none_match = "",
               std::string accept_encoding = "") {
    Request request;
    request.method = Method::kGet;
    EXPECT_TRUE(request.set_target(path)) << path;
    if (!if_none_match.empty()) {
      request.headers.add("If-None-Match", if_none_match);
    }
    if (!accept_encoding.empty()) {
      request.headers.add("Accept-Encoding", accept_encoding);
    }
    return static_files(root_, spa)(request);
  }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFiles, ServesFilesWithContentTypes) {
  Response js = get("/assets/app.3f2a.js");
  EXPECT_EQ(js.status, 200);
  ASSERT_TRUE(js.file.has_value());
  EXPECT_EQ(js.file->path.filename(), "app.3f2a.js");
  EXPECT_EQ(js.headers.get("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/assets/app.3f2a.css").headers.get("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(get("/favicon.ico").headers.get("Content-Type"), "image/x-icon");
  EXPECT_EQ(get("/").headers.get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(get("/docs/").file->path.parent_path().filename(), "docs");
}

TEST_F(StaticFiles, HashedAssetsAreImmutableAndIndexIsRevalidated) {
  EXPECT_EQ(get("/assets/app.3f2a.js").headers.get("Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/index.html").headers.get("Cache-Control"), "no-cache");
  EXPECT_EQ(get("/").headers.get("Cache-Control"), "no-cache");
}

TEST_F(StaticFiles, AnswersNotModifiedForAMatchingEtag) {
  const Response first = get("/assets/app.3f2a.js");
  const std::string etag(first.headers.get("ETag"));
  ASSERT_FALSE(etag.empty());
  const Response again = get("/assets/app.3f2a.js", true, etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_FALSE(again.file.has_value());
  EXPECT_EQ(again.headers.get("ETag"), etag);
  EXPECT_EQ(get("/assets/app.3f2a.js", true, "\"other\"").status, 200);
}

TEST_F(StaticFiles, GzipCopiesGoToClientsThatTakeGzip) {
  write_file(root_ / "assets" / "app.3f2a.js.gz", "gzipped js");
  write_file(root_ / "index.html.gz", "gzipped index");
  const Response plain = get("/assets/app.3f2a.js");
  EXPECT_EQ(plain.file->path.filename(), "app.3f2a.js");
  EXPECT_EQ(plain.headers.get("Content-Encoding"), "");
  EXPECT_EQ(plain.headers.get("Vary"), "Accept-Encoding");

  const Response gz = get("/assets/app.3f2a.js", true, "", "br, gzip;q=0.8, deflate");
  ASSERT_TRUE(gz.file.has_value());
  EXPECT_EQ(gz.file->path.filename(), "app.3f2a.js.gz");
  EXPECT_EQ(gz.headers.get("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.headers.get("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(gz.headers.get("Vary"), "Accept-Encoding");
  EXPECT_NE(gz.headers.get("ETag"), plain.headers.get("ETag"));
  // Revalidation matches each representation's own tag.
  EXPECT_EQ(get("/assets/app.3f2a.js", true, std::string(gz.headers.get("ETag")), "gzip").status,
            304);

  EXPECT_EQ(get("/assets/app.3f2a.js", true, "", "gzip;q=0").file->path.filename(), "app.3f2a.js");
  EXPECT_EQ(get("/assets/app.3f2a.js", true, "", "identity").file->path.filename(), "app.3f2a.js");
  EXPECT_EQ(get("/assets/app.3f2a.js", true, "", "*").headers.get("Content-Encoding"), "gzip");
  // No gzip copy: the file as it is.
  EXPECT_EQ(get("/assets/app.3f2a.css", true, "", "gzip").headers.get("Content-Encoding"), "");
  // The SPA fallback's index too.
  const Response route = get("/projects/42", true, "", "gzip");
  EXPECT_EQ(route.file->path.filename(), "index.html.gz");
  EXPECT_EQ(route.headers.get("Content-Type"), "text/html; charset=utf-8");
}

TEST_F(StaticFiles, NeverLeavesTheRoot) {
  EXPECT_EQ(get("/../secret.txt").status, 404);
  EXPECT_EQ(get("/%2e%2e/secret.txt").status, 404);
  EXPECT_EQ(get("/assets/%2E%2E/%2E%2E/secret.txt").status, 404);
  EXPECT_EQ(get("/leak.txt").status, 404);  // symlink pointing outside
  EXPECT_EQ(get("/.env").status, 404);      // dotfiles are never served
  EXPECT_EQ(get("/a\\..\\secret.txt").status, 404);
  EXPECT_EQ(get("/alias.ico").status, 200);  // a symlink inside the root is fine
}

TEST_F(StaticFiles, SpaFallbackServesIndexForClientRoutesOnly) {
  const Response route = get("/projects/42/tasks");
  EXPECT_EQ(route.status, 200);
  ASSERT_TRUE(route.file.has_value());
  EXPECT_EQ(route.file->path.filename(), "index.html");
  EXPECT_EQ(route.headers.get("Cache-Control"), "no-cache");
  EXPECT_EQ(get("/missing.png").status, 404);
  EXPECT_EQ(get("/api/v1/unknown").status, 404);
  EXPECT_EQ(get("/assets/missing.js").status, 404);
  EXPECT_EQ(get("/projects/42", false).status, 404);
  EXPECT_EQ(get("/projects/42", false).headers.get("Content-Type"), "application/problem+json");
}

}  // namespace
}  // namespace atelier::http
