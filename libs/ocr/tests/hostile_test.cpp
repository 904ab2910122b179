// Hostile and broken input: every case ends in kInvalid or kPayloadTooLarge, quickly, with
// nothing decoded beyond the limits and the process (and the worker) still standing.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "atelier/ocr/reader.hpp"
#include "samples.hpp"

namespace atelier::ocr {
namespace {

using samples::bytes_of;

class HostileInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ReaderOptions options;
    options.workers = 1;
    options.limits.max_pages = 100;
    auto created = ReaderPool::create(options);
    ASSERT_TRUE(created.ok()) << created.error().message;
    pool_ = std::move(created).value().release();
  }
  static void TearDownTestSuite() {
    delete pool_;
    pool_ = nullptr;
  }

  // The error's code; after each hostile document the same worker must still read a good one.
  static ErrorCode refused(const std::vector<std::byte>& bytes, std::string_view type) {
    auto pages = pool_->read(bytes, type);
    EXPECT_FALSE(pages.ok());
    if (pages.ok()) {
      return ErrorCode::kInternal;
    }
    EXPECT_FALSE(pages.error().message.empty());
    const auto good = pool_->read(samples::text_pdf({samples::small_sheet({"still standing"})}),
                                  "application/pdf");
    EXPECT_TRUE(good.ok());
    return pages.error().code;
  }

  static std::vector<std::byte> small_png() {
    samples::Sheet sheet = samples::small_sheet({"x"});
    sheet.width_pt = 24;
    sheet.height_pt = 24;
    return samples::png(sheet, 72);
  }

  // A PNG whose header says width x height, with a CRC that checks.
  static std::vector<std::byte> png_claiming(uint32_t width, uint32_t height) {
    auto png = small_png();
    auto* ihdr = reinterpret_cast<unsigned char*>(png.data()) + 12;  // "IHDR" + 13 bytes + CRC
    for (int i = 0; i < 4; ++i) {
      ihdr[4 + i] = static_cast<unsigned char>(width >> (24 - 8 * i));
      ihdr[8 + i] = static_cast<unsigned char>(height >> (24 - 8 * i));
    }
    const unsigned long crc = samples::crc32(ihdr, 17);
    for (int i = 0; i < 4; ++i) {
      ihdr[17 + i] = static_cast<unsigned char>(crc >> (24 - 8 * i));
    }
    return png;
  }

  static inline ReaderPool* pool_ = nullptr;
};

std::vector<std::byte> garbage(size_t size, std::string_view magic = {}) {
  std::mt19937 random(42);
  std::vector<std::byte> out = bytes_of(magic);
  while (out.size() < size) {
    out.push_back(static_cast<std::byte>(random() & 0xFF));
  }
  return out;
}

std::vector<std::byte> first_half(std::vector<std::byte> bytes) {
  bytes.resize(bytes.size() / 2);
  return bytes;
}

TEST_F(HostileInputTest, EmptyFile) {
  EXPECT_EQ(refused({}, "image/png"), ErrorCode::kInvalid);
}

TEST_F(HostileInputTest, ZeroSizeImage) {
  EXPECT_EQ(refused(png_claiming(0, 0), "image/png"), ErrorCode::kInvalid);
  EXPECT_EQ(refused(png_claiming(100, 0), "image/png"), ErrorCode::kInvalid);
}

TEST_F(HostileInputTest, PngBombIsRefusedFromItsHeader) {
  EXPECT_EQ(refused(png_claiming(100'000, 100'000), "image/png"), ErrorCode::kPayloadTooLarge);
}

TEST_F(HostileInputTest, TruncatedPng) {
  const auto png = samples::png(samples::small_sheet({"truncated"}));
  EXPECT_EQ(refused(first_half(png), "image/png"), ErrorCode::kInvalid);
}

TEST_F(HostileInputTest, TruncatedJpeg) {
  const auto jpeg = samples::jpeg(samples::small_sheet({"truncated"}));
  EXPECT_EQ(refused(first_half(jpeg), "image/jpeg"), ErrorCode::kInvalid);
  EXPECT_EQ(refused(bytes_of("\xFF\xD8\xFF"), "image/jpeg"), ErrorCode::kInvalid);
}

// A TIFF of one 1-bit frame claiming 100,000 x 100,000 pixels (1.25 GB once decoded).
TEST_F(HostileInputTest, TiffBombIsRefusedFromItsHeader) {
  std::string t("II*\0\x08\0\0\0", 8);
  auto u16 = [&](uint32_t v) {
    t += static_cast<char>(v & 0xFF);
    t += static_cast<char>((v >> 8) & 0xFF);
  };
  auto u32 = [&](uint32_t v) {
    u16(v & 0xFFFF);
    u16(v >> 16);
  };
  auto entry = [&](uint32_t tag, uint32_t type, uint32_t value) {
    u16(tag);
    u16(type);
    u32(1);
    type == 3 ? (u16(value), u16(0)) : u32(value);
  };
  u16(8);
  entry(256, 4, 100'000);  // ImageWidth
  entry(257, 4, 100'000);  // ImageLength
  entry(258, 3, 1);        // BitsPerSample
  entry(259, 3, 1);        // no compression
  entry(262, 3, 0);        // white is zero
  entry(273, 4, 200);      // StripOffsets
  entry(278, 4, 100'000);  // RowsPerStrip
  entry(279, 4, 16);       // StripByteCounts
  u32(0);
  t.resize(240, '\0');
  EXPECT_EQ(refused(bytes_of(t), "image/tiff"), ErrorCode::kPayloadTooLarge);
}

TEST_F(HostileInputTest, TiffWithMorePagesThanTheLimit) {
  std::vector<samples::Sheet> sheets(101, samples::small_sheet({}));
  for (auto& s : sheets) {
    s.width_pt = 10;
    s.height_pt = 10;
  }
  EXPECT_EQ(refused(samples::tiff(sheets, 72), "image/tiff"), ErrorCode::kPayloadTooLarge);
}

TEST_F(HostileInputTest, PdfWithTenThousandPages) {
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", ""};
  std::string kids;
  for (int i = 0; i < 10'000; ++i) {
    kids += std::to_string(i + 3) + " 0 R ";
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>");
  }
  objects[1] = "<< /Type /Pages /Count 10000 /Kids [" + kids + "] >>";
  const auto pdf = samples::pdf_from_objects(objects);
  EXPECT_EQ(refused(pdf, "application/pdf"), ErrorCode::kPayloadTooLarge);
}

TEST_F(HostileInputTest, PdfPageTooLargeToRender) {
  const auto pdf = samples::pdf_from_objects({
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>",  // 200 x 200 inches
  });
  EXPECT_EQ(refused(pdf, "application/pdf"), ErrorCode::kPayloadTooLarge);
}

TEST_F(HostileInputTest, PasswordProtectedPdf) {
  const std::string key(64, 'A');
  const auto pdf = samples::pdf_from_objects(
      {
          "<< /Type /Catalog /Pages 2 0 R >>",
          "<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
          "<< /Filter /Standard /V 1 /R 2 /O <" + key + "> /U <" + key + "> /P -4 >>",
      },
      "/Encrypt 4 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]");
  auto pages = pool_->read(pdf, "application/pdf");
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.error().code, ErrorCode::kInvalid);
  EXPECT_NE(pages.error().message.find("password"), std::string::npos) << pages.error().message;
}

TEST_F(HostileInputTest, CorruptPdf) {
  EXPECT_EQ(refused(garbage(4096, "%PDF-1.7\n"), "application/pdf"), ErrorCode::kInvalid);
  const auto pdf = samples::text_pdf({samples::small_sheet({"truncated"})});
  EXPECT_EQ(refused(first_half(pdf), "application/pdf"), ErrorCode::kInvalid);
}

TEST_F(HostileInputTest, GarbageBytes) {
  EXPECT_EQ(refused(garbage(10'000), "image/png"), ErrorCode::kInvalid);
  EXPECT_EQ(refused(garbage(10'000, "\x89PNG\r\n\x1a\n"), "image/png"), ErrorCode::kInvalid);
  EXPECT_EQ(refused(garbage(10'000, std::string("II*\0", 4)), "image/tiff"), ErrorCode::kInvalid);
  EXPECT_EQ(refused(garbage(10'000, "\xFF\xD8\xFF"), "image/jpeg"), ErrorCode::kInvalid);
}

TEST_F(HostileInputTest, DocumentLargerThanTheByteLimit) {
  ReaderOptions options;
  options.workers = 1;
  options.limits.max_bytes = 1000;
  auto pool = ReaderPool::create(options);
  ASSERT_TRUE(pool.ok());
  const auto pages = (*pool)->read(garbage(1001, "%PDF-1.7\n"), "application/pdf");
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.error().code, ErrorCode::kPayloadTooLarge);
}

}  // namespace
}  // namespace atelier::ocr
