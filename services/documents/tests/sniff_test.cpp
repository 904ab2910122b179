#include "documents/app/sniff.hpp"

#include <gtest/gtest.h>

namespace atelier::documents::app {
namespace {

std::string zip_with_first_entry(std::string_view name, std::string_view content) {
  std::string z = "PK\x03\x04";
  z += std::string(22, '\0');
  z += static_cast<char>(name.size());
  z += '\0';
  z += "\0\0";
  z.resize(30);
  z += name;
  z += content;
  return z;
}

TEST(Sniff, RecognisesCommonFormatsByTheirBytes) {
  EXPECT_EQ(sniff_content_type("%PDF-1.7\n..."), "application/pdf");
  EXPECT_EQ(sniff_content_type("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "image/png");
  EXPECT_EQ(sniff_content_type("\xff\xd8\xff\xe0\0\x10JFIF"), "image/jpeg");
  EXPECT_EQ(sniff_content_type(std::string_view("II*\0\x08\0\0\0", 8)), "image/tiff");
  EXPECT_EQ(sniff_content_type(std::string_view("MM\0*\0\0\0\x08", 8)), "image/tiff");
}

TEST(Sniff, RecognisesTheMediaVisioBookExports) {
  EXPECT_EQ(sniff_content_type(std::string_view("\0\0\0\x20"
                                                "ftypisom\0\0\x02\0",
                                                16)),
            "video/mp4");
  EXPECT_EQ(sniff_content_type(std::string_view("\0\0\0\x14"
                                                "ftypqt  \0\0\0\0",
                                                16)),
            "video/quicktime");
  EXPECT_EQ(sniff_content_type(std::string_view("RIFF\x24\0\0\0WAVEfmt ", 16)), "audio/wav");
  EXPECT_EQ(sniff_content_type("WEBVTT\n\n00:00:00.000 --> 00:00:03.000\nBonjour"),
            "text/vtt; charset=utf-8");
  // Text that merely starts with the word stays text.
  EXPECT_EQ(sniff_content_type("WEBVTTISH notes"), "text/plain; charset=utf-8");
}

TEST(Sniff, TellsZipContainersApart) {
  EXPECT_EQ(sniff_content_type(zip_with_first_entry("mimetype", "application/epub+zip")),
            "application/epub+zip");
  EXPECT_EQ(
      sniff_content_type(zip_with_first_entry("[Content_Types].xml", "<Types/>word/document.xml")),
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(
      sniff_content_type(zip_with_first_entry("[Content_Types].xml", "<Types/>xl/workbook.xml")),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(sniff_content_type(zip_with_first_entry("photo.jpg", "...")), "application/zip");
}

TEST(Sniff, Utf8TextIsPlainTextAndBinaryIsNot) {
  EXPECT_EQ(sniff_content_type("Compte rendu de chantier n°12\nBéton coulé."),
            "text/plain; charset=utf-8");
  EXPECT_EQ(sniff_content_type(std::string_view("abc\0def", 7)), "application/octet-stream");
  EXPECT_EQ(sniff_content_type("\xc3\x28 invalid utf-8"), "application/octet-stream");
  EXPECT_EQ(sniff_content_type("\x7f"
                               "ELF"),
            "application/octet-stream");
}

}  // namespace
}  // namespace atelier::documents::app
