// multipart/form-data read from a body on disk: the same answer whatever the size of the chunks
// the body is read in, CRLF delimiters only, quoted boundaries, file names in UTF-8 and
// filename*=, and clear errors for a body cut short, a second file or a part over the limits.
#include "atelier/http/multipart.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace atelier::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kType = "multipart/form-data; boundary=XyZ-42";

std::string sha256_of(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

// A file's bytes with every sequence that looks like a delimiter without being one: a prefix of
// it at a chunk's end, the boundary followed by another character, a bare LF before it.
std::string tricky_content() {
  std::string s = "%PDF-1.7\r\n";
  for (int i = 0; i < 300; ++i) {
    s += "line " + std::to_string(i) + "\r\n";
    if (i % 37 == 0) {
      s += "\r\n--XyZ-4";  // a prefix of the delimiter
    }
    if (i % 53 == 0) {
      s += "\r\n--XyZ-42x";  // the boundary and then more: content
    }
    if (i % 71 == 0) {
      s += "\n--XyZ-42\r\n";  // no CR before it: content
    }
  }
  s += std::string("\0\x01\xff binary", 10);
  s += "\r\n";  // a final line break that belongs to the file
  return s;
}

std::string part(std::string_view headers, std::string_view value) {
  return "--XyZ-42\r\n" + std::string(headers) + "\r\n\r\n" + std::string(value) + "\r\n";
}

std::string file_part(std::string_view filename_params, std::string_view value,
                      std::string_view name = "file") {
  return part("Content-Disposition: form-data; name=\"" + std::string(name) + "\"; " +
                  std::string(filename_params) + "\r\nContent-Type: application/pdf",
              value);
}

std::string text_part(std::string_view name, std::string_view value) {
  return part("Content-Disposition: form-data; name=\"" + std::string(name) + "\"", value);
}

class Multipart : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("atelier-multipart-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "out");
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<MultipartForm> read(const std::string& body, std::string_view content_type = kType,
                             MultipartLimits limits = {}) {
    std::ofstream(dir_ / "body", std::ios::binary | std::ios::trunc) << body;
    return read_multipart(dir_ / "body", content_type, dir_ / "out", limits);
  }

  size_t files_left() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_ / "out")) {
      ++n;
    }
    return n;
  }

  fs::path dir_;
};

TEST_F(Multipart, ReadsTextPartsAndOneFileWhateverTheChunkSize) {
  const std::string content = tricky_content();
  const std::string body = "a preamble that is ignored\r\n" + text_part("folder", "Plans/Lot 1") +
                           text_part("tags", "a,b") + text_part("tags", "") +
                           file_part("filename=\"plan.pdf\"", content) +
                           text_part("project_id", "p-1") + "--XyZ-42--\r\nan epilogue, ignored";
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{5}, size_t{7}, size_t{11},
                       size_t{13}, size_t{64}, size_t{4096}, size_t{1 << 20}}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    auto form = read(body, kType, MultipartLimits{.read_size = chunk});
    ASSERT_TRUE(form) << form.error().message;
    ASSERT_TRUE(form->file);
    EXPECT_EQ(form->file->field_name, "file");
    EXPECT_EQ(form->file->filename, "plan.pdf");
    EXPECT_EQ(form->file->content_type, "application/pdf");
    EXPECT_EQ(form->file->size(), content.size());
    EXPECT_EQ(form->file->sha256(), sha256_of(content));
    EXPECT_EQ(read_file(form->file->path()), content);
    EXPECT_EQ(form->file->path().parent_path(), dir_ / "out");
    EXPECT_EQ(form->values("folder"), std::vector<std::string>{"Plans/Lot 1"});
    EXPECT_EQ(form->values("tags"), (std::vector<std::string>{"a,b", ""}));
    EXPECT_EQ(form->values("project_id"), std::vector<std::string>{"p-1"});
    EXPECT_TRUE(form->values("task_id").empty());
    ASSERT_EQ(form->fields.size(), 4u);
    EXPECT_EQ(form->fields[0].first, "folder");
  }
}

TEST_F(Multipart, TheFileGoesWithTheFormAndMovesWithIt) {
  fs::path path;
  {
    auto form = read(file_part("filename=\"a.txt\"", "abc") + "--XyZ-42--");
    ASSERT_TRUE(form && form->file) << (form ? "" : form.error().message);
    EXPECT_EQ(form->file->sha256(),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    MultipartFile moved = std::move(*form->file);
    form->file.reset();
    path = moved.path();
    EXPECT_TRUE(fs::exists(path));  // the moved-from object did not remove it
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(files_left(), 0u);
}

TEST_F(Multipart, OnlyCrlfEndsALineAndTheLastCrlfIsTheDelimiters) {
  auto form = read(file_part("filename=\"a.txt\"", "one\r\ntwo\r\n\r\n") + "--XyZ-42--");
  ASSERT_TRUE(form && form->file) << (form ? "" : form.error().message);
  EXPECT_EQ(read_file(form->file->path()), "one\r\ntwo\r\n\r\n");

  // White space after a boundary (transport padding) is allowed; the line still ends in CRLF.
  auto padded = read(
      "--XyZ-42  \t\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n"
      "bytes\r\n--XyZ-42-- \r\n");
  ASSERT_TRUE(padded && padded->file) << (padded ? "" : padded.error().message);
  EXPECT_EQ(read_file(padded->file->path()), "bytes");

  // Lines ended by LF alone are not multipart/form-data.
  auto bare = read(
      "--XyZ-42\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\n\nbytes\n"
      "--XyZ-42--\n");
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(files_left(), 2u);  // the files of the two forms above, none of the refused one

  // An empty file part and an empty text part.
  auto empty =
      read(text_part("folder", "") + file_part("filename=\"vide.txt\"", "") + "--XyZ-42--");
  ASSERT_TRUE(empty && empty->file) << (empty ? "" : empty.error().message);
  EXPECT_EQ(empty->file->size(), 0u);
  EXPECT_EQ(empty->values("folder"), std::vector<std::string>{""});
}

TEST_F(Multipart, BoundaryParameterQuotedOrNot) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c=d\""),
            "a b:c=d");
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"\""), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')),
            std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
  EXPECT_TRUE(is_multipart_form_data("MULTIPART/form-data ; boundary=x"));
  EXPECT_FALSE(is_multipart_form_data("multipart/mixed; boundary=x"));
  EXPECT_FALSE(is_multipart_form_data("application/octet-stream"));

  const std::string body =
      "--a b:c=d\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\r\n"
      "quoted\r\n--a b:c=d--\r\n";
  auto form = read(body, "multipart/form-data; boundary=\"a b:c=d\"");
  ASSERT_TRUE(form && form->file) << (form ? "" : form.error().message);
  EXPECT_EQ(read_file(form->file->path()), "quoted");

  auto none = read(body, "multipart/form-data");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(none.error().message.find("boundary"), std::string::npos);
  auto other = read(body, "multipart/form-data; boundary=elsewhere");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kBadRequest);
}

TEST_F(Multipart, AMissingClosingBoundaryIsABadRequest) {
  for (const std::string& body : {
           file_part("filename=\"a.txt\"", "cut short"),                // no close delimiter
           file_part("filename=\"a.txt\"", "cut short").substr(0, 60),  // cut in the headers
           file_part("filename=\"a.txt\"", "abc") + "--XyZ-4",          // cut in the boundary
           file_part("filename=\"a.txt\"", "abc") + "--XyZ-42",         // no "--" nor CRLF
           text_part("folder", "x"),                                    // a text part
       }) {
    SCOPED_TRACE(body);
    for (size_t chunk : {size_t{1}, size_t{7}, size_t{65536}}) {
      auto form = read(body, kType, MultipartLimits{.read_size = chunk});
      ASSERT_FALSE(form);
      EXPECT_EQ(form.error().code, ErrorCode::kBadRequest);
      EXPECT_NE(form.error().message.find("closing boundary"), std::string::npos)
          << form.error().message;
      EXPECT_EQ(files_left(), 0u);  // the partial file part is gone
    }
  }
}

TEST_F(Multipart, TwoFilePartsAreRefused) {
  auto form = read(file_part("filename=\"a.pdf\"", "one") +
                   file_part("filename=\"b.pdf\"", "two", "second") + "--XyZ-42--");
  ASSERT_FALSE(form);
  EXPECT_EQ(form.error().code, ErrorCode::kInvalid);
  EXPECT_NE(form.error().message.find("One file per upload"), std::string::npos);
  ASSERT_EQ(form.error().fields.size(), 1u);
  EXPECT_EQ(form.error().fields[0].field, "second");
  EXPECT_EQ(files_left(), 0u);
}

TEST_F(Multipart, PartsOverTheLimitsAreTooLarge) {
  const MultipartLimits limits{.max_file_bytes = 100, .max_field_bytes = 10, .read_size = 16};
  auto at_limit =
      read(file_part("filename=\"a\"", std::string(100, 'x')) + "--XyZ-42--", kType, limits);
  ASSERT_TRUE(at_limit) << at_limit.error().message;
  EXPECT_EQ(at_limit->file->size(), 100u);

  auto file =
      read(file_part("filename=\"a\"", std::string(101, 'x')) + "--XyZ-42--", kType, limits);
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_NE(file.error().message.find("100 bytes"), std::string::npos);

  auto field = read(text_part("folder", std::string(11, 'x')) + "--XyZ-42--", kType, limits);
  ASSERT_FALSE(field);
  EXPECT_EQ(field.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_NE(field.error().message.find("folder"), std::string::npos);

  std::string many;
  for (int i = 0; i < 4; ++i) {
    many += text_part("tags", "t");
  }
  auto parts = read(many + "--XyZ-42--", kType, MultipartLimits{.max_parts = 3});
  ASSERT_FALSE(parts);
  EXPECT_EQ(parts.error().code, ErrorCode::kPayloadTooLarge);

  auto headers = read(
      part("Content-Disposition: form-data; name=\"f\"\r\nX-Long: " + std::string(200, 'h'), "v") +
          "--XyZ-42--",
      kType, MultipartLimits{.max_header_bytes = 100, .read_size = 8});
  ASSERT_FALSE(headers);
  EXPECT_EQ(headers.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(files_left(), 1u);  // the file at the limit, nothing of those refused
}

TEST_F(Multipart, FileNamesInUtf8AndFilenameStar) {
  auto name_of = [&](std::string_view params) -> std::string {
    auto form = read(file_part(params, "x") + "--XyZ-42--");
    EXPECT_TRUE(form && form->file) << (form ? "" : form.error().message);
    return form && form->file ? form->file->filename : std::string("<none>");
  };
  EXPECT_EQ(name_of("filename=\"devis béton – lot 2.pdf\""), "devis béton – lot 2.pdf");
  EXPECT_EQ(name_of("filename=\"fallback.pdf\"; filename*=UTF-8''devis%20b%C3%A9ton.pdf"),
            "devis béton.pdf");
  EXPECT_EQ(name_of("filename*=utf-8'fr'%C3%A9t%C3%A9.pdf; filename=\"ete.pdf\""), "été.pdf");
  // Another charset, or a bad escape: the plain filename.
  EXPECT_EQ(name_of("filename*=ISO-8859-1''%E9t%E9.pdf; filename=\"ete.pdf\""), "ete.pdf");
  EXPECT_EQ(name_of("filename*=UTF-8''%E; filename=\"ete.pdf\""), "ete.pdf");
  EXPECT_EQ(name_of("filename=plain.pdf"), "plain.pdf");
  EXPECT_EQ(name_of("filename=\"a \\\"quoted\\\" name.pdf\""), "a \"quoted\" name.pdf");
  // Directories some clients send are dropped.
  EXPECT_EQ(name_of("filename=\"C:\\Users\\jeanne\\plan.pdf\""), "plan.pdf");
  EXPECT_EQ(name_of("filename=\"../../etc/passwd\""), "passwd");
  EXPECT_EQ(name_of("filename=\"\""), "");  // a file part still, with no name
}

TEST_F(Multipart, PartsNeedFormDataDispositionWithAName) {
  for (const std::string& headers :
       {std::string("Content-Type: text/plain"),
        std::string("Content-Disposition: attachment; name=\"f\""),
        std::string("Content-Disposition: form-data; filename=\"a.txt\""),
        std::string("no colon here")}) {
    SCOPED_TRACE(headers);
    auto form = read(part(headers, "v") + "--XyZ-42--");
    ASSERT_FALSE(form);
    EXPECT_EQ(form.error().code, ErrorCode::kBadRequest);
  }
  // No parts at all is well-formed: the caller decides that a file was required.
  auto empty = read("--XyZ-42--\r\n");
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_FALSE(empty->file);
  EXPECT_TRUE(empty->fields.empty());
  // A body that never names the boundary is not multipart.
  auto raw = read("just some bytes");
  ASSERT_FALSE(raw);
  EXPECT_EQ(raw.error().code, ErrorCode::kBadRequest);
}

}  // namespace
}  // namespace atelier::http
