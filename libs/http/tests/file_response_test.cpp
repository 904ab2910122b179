// Byte ranges and conditional requests on file responses, as pure functions.
#include "atelier/http/file_response.hpp"

#include <gtest/gtest.h>

namespace atelier::http {
namespace {

using Kind = RangeRequest::Kind;

TEST(ParseRange, SingleClosedRange) {
  const auto r = parse_range("bytes=0-99", 1000);
  ASSERT_EQ(r.kind, Kind::kPartial);
  EXPECT_EQ(r.range.first, 0u);
  EXPECT_EQ(r.range.last, 99u);
  EXPECT_EQ(r.range.length(), 100u);
}

TEST(ParseRange, OpenRangeRunsToTheEnd) {
  const auto r = parse_range("bytes=100-", 1000);
  ASSERT_EQ(r.kind, Kind::kPartial);
  EXPECT_EQ(r.range.first, 100u);
  EXPECT_EQ(r.range.last, 999u);
}

TEST(ParseRange, SuffixRangeIsTheLastBytes) {
  const auto r = parse_range("bytes=-500", 1000);
  ASSERT_EQ(r.kind, Kind::kPartial);
  EXPECT_EQ(r.range.first, 500u);
  EXPECT_EQ(r.range.last, 999u);
  const auto longer = parse_range("bytes=-5000", 1000);
  ASSERT_EQ(longer.kind, Kind::kPartial);
  EXPECT_EQ(longer.range.first, 0u);
}

TEST(ParseRange, EndBeyondTheFileIsClamped) {
  const auto r = parse_range("bytes=900-5000", 1000);
  ASSERT_EQ(r.kind, Kind::kPartial);
  EXPECT_EQ(r.range.last, 999u);
}

TEST(ParseRange, StartBeyondTheFileIsUnsatisfiable) {
  EXPECT_EQ(parse_range("bytes=1000-", 1000).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 1000).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0).kind, Kind::kUnsatisfiable);
}

TEST(ParseRange, MalformedOrMultipleRangesAreIgnored) {
  for (const char* header : {"bytes=5-1", "bytes=a-b", "items=0-1", "bytes=0-1,5-6",
                             "bytes=", "bytes=-", "bytes=--1", "bytes=+1-2", "0-1"}) {
    EXPECT_EQ(parse_range(header, 1000).kind, Kind::kWhole) << header;
  }
}

Request get_with(std::initializer_list<std::pair<const char*, const char*>> headers) {
  Request request;
  request.method = Method::kGet;
  EXPECT_TRUE(request.set_target("/file"));
  for (const auto& [name, value] : headers) {
    request.headers.add(name, value);
  }
  return request;
}

FileRepresentation representation() {
  FileRepresentation r;
  r.file = FileBody(std::filesystem::path("/nonexistent/file"));
  r.size = 1000;
  r.etag = "\"abc\"";
  r.content_type = "application/pdf";
  r.content_disposition = content_disposition("attachment", "devis.pdf");
  return r;
}

TEST(ServeFile, WholeFileWithValidators) {
  const Response r = serve_file(get_with({}), representation());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("Accept-Ranges"), "bytes");
  EXPECT_EQ(r.headers.get("ETag"), "\"abc\"");
  EXPECT_EQ(r.headers.get("Content-Type"), "application/pdf");
  ASSERT_TRUE(r.file);
  EXPECT_EQ(r.file->offset, 0u);
  EXPECT_EQ(r.file->length, 1000u);
}

TEST(ServeFile, RangeIs206WithContentRange) {
  const Response r = serve_file(get_with({{"Range", "bytes=-500"}}), representation());
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.headers.get("Content-Range"), "bytes 500-999/1000");
  ASSERT_TRUE(r.file);
  EXPECT_EQ(r.file->offset, 500u);
  EXPECT_EQ(r.file->length, 500u);
}

TEST(ServeFile, UnsatisfiableRangeIs416WithTheSize) {
  const Response r = serve_file(get_with({{"Range", "bytes=2000-"}}), representation());
  EXPECT_EQ(r.status, 416);
  EXPECT_EQ(r.headers.get("Content-Range"), "bytes */1000");
  EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json");
  EXPECT_FALSE(r.file);
}

TEST(ServeFile, IfNoneMatchIs304) {
  const Response r = serve_file(get_with({{"If-None-Match", "\"abc\""}}), representation());
  EXPECT_EQ(r.status, 304);
  EXPECT_FALSE(r.file);
  EXPECT_EQ(r.headers.get("ETag"), "\"abc\"");
}

TEST(ServeFile, IfRangeWithAnotherTagSendsTheWholeFile) {
  EXPECT_EQ(
      serve_file(get_with({{"Range", "bytes=0-9"}, {"If-Range", "\"old\""}}), representation())
          .status,
      200);
  EXPECT_EQ(
      serve_file(get_with({{"Range", "bytes=0-9"}, {"If-Range", "\"abc\""}}), representation())
          .status,
      206);
}

TEST(ContentDisposition, EncodesNamesSafely) {
  EXPECT_EQ(content_disposition("attachment", "devis.pdf"),
            "attachment; filename=\"devis.pdf\"; filename*=UTF-8''devis.pdf");
  EXPECT_EQ(content_disposition("inline", "été \"x\".txt"),
            "inline; filename=\"__t__ _x_.txt\"; filename*=UTF-8''%C3%A9t%C3%A9%20%22x%22.txt");
}

}  // namespace
}  // namespace atelier::http
