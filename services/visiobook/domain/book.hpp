// A book as the VisioBook pipeline reads it: chapters of cleaned paragraphs, in reading order.
// Ingestion produces it from text, EPUB, PDF or OCR'd pages; analysis and the storyboard read it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace atelier::visiobook::domain {

enum class Language { kFrench, kEnglish };

struct Paragraph {
  std::string text;  // UTF-8, one paragraph, cleaned (no line-end hyphens, no page furniture)
  bool after_break = false;  // a scene break ("* * *", a run of blank lines) stood before it
};

struct Chapter {
  std::string title;  // as printed ("CHAPTER I. Down the Rabbit-Hole"); may be empty
  std::vector<Paragraph> paragraphs;
};

struct Book {
  std::string title;   // from the file's metadata or its first lines; may be empty
  std::string author;  // may be empty
  Language language = Language::kEnglish;
  std::vector<Chapter> chapters;

  std::size_t paragraph_count() const {
    std::size_t n = 0;
    for (const auto& c : chapters)
      n += c.paragraphs.size();
    return n;
  }
};

}  // namespace atelier::visiobook::domain
