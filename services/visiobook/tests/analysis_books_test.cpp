// Analysis of the fixture books (Alice, The Call of the Wild, Sarrasine, La morte amoureuse):
// characters with their aliases merged, scenes that cover each book exactly once, summaries
// taken verbatim, and a time budget. The books are read by a small local loader, since the
// ingestion library is developed separately.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "visiobook/domain/analysis/analysis.hpp"
#include "visiobook/domain/book.hpp"

namespace atelier::visiobook::analysis {
namespace {

using domain::Book;
using domain::Language;

std::string read_file(const std::string& name) {
  std::ifstream in(std::string(VISIOBOOK_TEST_BOOKS) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

// English fixtures: "CHAPTER"/"Chapter" lines open chapters, blank lines end paragraphs, a line
// of asterisks is a scene break.
Book load_english(const std::string& name) {
  Book book;
  book.language = Language::kEnglish;
  std::istringstream in(read_file(name));
  std::string line;
  std::string paragraph;
  bool pending_break = false;
  const auto flush = [&] {
    if (!paragraph.empty()) {
      if (book.chapters.empty()) {
        book.chapters.emplace_back();
      }
      book.chapters.back().paragraphs.push_back({paragraph, pending_break});
      pending_break = false;
      paragraph.clear();
    }
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.rfind("CHAPTER ", 0) == 0 || line.rfind("Chapter ", 0) == 0) {
      flush();
      book.chapters.push_back({line, {}});
      pending_break = false;
      continue;
    }
    if (line.find_first_not_of(" *") == std::string::npos && line.find('*') != std::string::npos) {
      flush();
      pending_break = true;
      continue;
    }
    if (is_blank(line)) {
      flush();
      continue;
    }
    const auto start = line.find_first_not_of(' ');
    paragraph += (paragraph.empty() ? "" : " ") + line.substr(start);
  }
  flush();
  return book;
}

// French fixtures: one paragraph per non-empty line, one chapter.
Book load_french(const std::string& name) {
  Book book;
  book.language = Language::kFrench;
  book.chapters.emplace_back();
  std::istringstream in(read_file(name));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (!is_blank(line)) {
      book.chapters.back().paragraphs.push_back({line, false});
    }
  }
  return book;
}

std::size_t book_words(const Book& book) {
  std::size_t words = 0;
  for (const auto& c : book.chapters) {
    for (const auto& p : c.paragraphs) {
      std::istringstream in(p.text);
      std::string w;
      while (in >> w) {
        ++words;
      }
    }
  }
  return words;
}

const Character* find_named(const Analysis& a, const std::string& form, std::size_t top) {
  for (std::size_t i = 0; i < a.characters.size() && i < top; ++i) {
    const auto& c = a.characters[i];
    if (c.name == form || std::find(c.aliases.begin(), c.aliases.end(), form) != c.aliases.end()) {
      return &c;
    }
  }
  return nullptr;
}

std::size_t characters_with_form(const Analysis& a, const std::string& form) {
  return static_cast<std::size_t>(
      std::count_if(a.characters.begin(), a.characters.end(), [&](const Character& c) {
        return c.name == form ||
               std::find(c.aliases.begin(), c.aliases.end(), form) != c.aliases.end();
      }));
}

void print_characters(const Analysis& a, std::size_t top) {
  for (std::size_t i = 0; i < a.characters.size() && i < top; ++i) {
    const auto& c = a.characters[i];
    std::string aliases;
    for (const auto& al : c.aliases) {
      aliases += (aliases.empty() ? "" : ", ") + al;
    }
    std::printf("  %s %-24s %4zu mentions %3zu lines %-6s [%s]\n", c.id.c_str(), c.name.c_str(),
                c.mentions, c.lines_spoken, c.gender.c_str(), aliases.c_str());
  }
}

// Scenes are in reading order, contiguous, and cover every paragraph exactly once.
void expect_scenes_cover(const Book& book, const Analysis& a) {
  ASSERT_FALSE(a.scenes.empty());
  std::size_t chapter = 0;
  std::size_t next = 0;  // the paragraph the next scene must start at
  for (std::size_t i = 0; i < a.scenes.size(); ++i) {
    const Scene& s = a.scenes[i];
    EXPECT_EQ(s.index, i);
    if (s.chapter != chapter) {
      EXPECT_EQ(next, book.chapters[chapter].paragraphs.size()) << "chapter " << chapter;
      EXPECT_EQ(s.chapter, chapter + 1);
      chapter = s.chapter;
      next = 0;
    }
    EXPECT_EQ(s.first_paragraph, next) << "scene " << i;
    EXPECT_LE(s.first_paragraph, s.last_paragraph);
    EXPECT_GT(s.words, 0U);
    EXPECT_FALSE(s.break_reason.empty());
    next = s.last_paragraph + 1;
  }
  EXPECT_EQ(chapter + 1, book.chapters.size());
  EXPECT_EQ(next, book.chapters.back().paragraphs.size());
}

// Every summary sentence is found verbatim in its scene's paragraphs.
void expect_summaries_verbatim(const Book& book, const Analysis& a) {
  for (const Scene& s : a.scenes) {
    EXPECT_FALSE(s.summary.empty());
    std::string text;
    for (std::size_t p = s.first_paragraph; p <= s.last_paragraph; ++p) {
      text += book.chapters[s.chapter].paragraphs[p].text + "\n";
    }
    for (const auto& sentence : s.summary) {
      EXPECT_NE(text.find(sentence), std::string::npos) << sentence;
    }
  }
  EXPECT_GE(a.summary.size(), 3U);
}

class AnalysisBooks : public ::testing::Test {
 protected:
  static Analysis timed(const Book& book, const char* name) {
    const auto start = std::chrono::steady_clock::now();
    Analysis a = analyse(book);
    const auto ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s: %.1f ms, %zu words, %zu sentences, %zu characters, %zu scenes, %zu lines\n",
                name, ms, a.words, a.sentences, a.characters.size(), a.scenes.size(),
                a.dialogue.size());
    print_characters(a, 12);
    return a;
  }
};

TEST_F(AnalysisBooks, AliceFindsTheMainCharactersWithAliasesMerged) {
  const Book book = load_english("alice_en.txt");
  ASSERT_EQ(book.chapters.size(), 12U);
  const Analysis a = timed(book, "alice");
  ASSERT_FALSE(a.characters.empty());
  EXPECT_EQ(a.characters.front().name, "Alice");
  EXPECT_EQ(a.characters.front().gender, "female");
  EXPECT_EQ(a.characters.front().aliases, std::vector<std::string>{"Miss Alice"});
  EXPECT_EQ(characters_with_form(a, "Alice"), 1U);
  const Character* rabbit = find_named(a, "White Rabbit", 20);
  ASSERT_NE(rabbit, nullptr);
  EXPECT_EQ(rabbit, find_named(a, "Rabbit", 20));
  for (const char* name : {"Queen", "Hatter", "Gryphon", "Mock Turtle", "Duchess", "King"}) {
    EXPECT_NE(find_named(a, name, 20), nullptr) << name;
  }
  for (const char* word : {"Oh", "Well", "The", "But", "CHAPTER", "I", "Majesty"}) {
    EXPECT_EQ(characters_with_form(a, word), 0U) << word;
  }
}

TEST_F(AnalysisBooks, AliceScenesCoverTheBookAndSummariesAreVerbatim) {
  const Book book = load_english("alice_en.txt");
  const Analysis a = timed(book, "alice");
  // At least one scene per chapter; at most one per min_scene_words of text, since shorter
  // scenes merge into a neighbour.
  EXPECT_GE(a.scenes.size(), book.chapters.size());
  EXPECT_LE(a.scenes.size(), book_words(book) / Options{}.min_scene_words);
  expect_scenes_cover(book, a);
  expect_summaries_verbatim(book, a);
  for (const Scene& s : a.scenes) {
    EXPECT_LE(s.words, Options{}.max_scene_words + Options{}.min_scene_words);
  }
  EXPECT_GT(a.dialogue.size(), 500U);
  const std::size_t attributed = static_cast<std::size_t>(
      std::count_if(a.dialogue.begin(), a.dialogue.end(),
                    [](const DialogueLine& d) { return !d.character_id.empty(); }));
  EXPECT_GT(attributed, a.dialogue.size() / 5);
}

TEST_F(AnalysisBooks, CallOfTheWildHasBuckFirstAndThornton) {
  const Book book = load_english("call_of_the_wild_en.txt");
  const Analysis a = timed(book, "call of the wild");
  ASSERT_FALSE(a.characters.empty());
  EXPECT_EQ(a.characters.front().name, "Buck");
  EXPECT_NE(find_named(a, "Thornton", 10), nullptr);
  EXPECT_NE(std::find(a.classification.genre_hints.begin(), a.classification.genre_hints.end(),
                      "animal story"),
            a.classification.genre_hints.end());
  EXPECT_NE(std::find(a.classification.flags.begin(), a.classification.flags.end(), "violence"),
            a.classification.flags.end());
  expect_scenes_cover(book, a);
}

TEST_F(AnalysisBooks, SarrasineFindsSarrasineZambinellaAndMergesTitledNames) {
  const Book book = load_french("sarrasine_fr.txt");
  const Analysis a = timed(book, "sarrasine");
  EXPECT_NE(find_named(a, "Sarrasine", 5), nullptr);
  EXPECT_NE(find_named(a, "Zambinella", 5), nullptr);
  // Titles merge with the family name, and one family name borne by a man and a woman stays two
  // characters: the countess and the count de Lanty.
  const Character* countess = find_named(a, "comtesse de Lanty", 10);
  ASSERT_NE(countess, nullptr);
  EXPECT_EQ(countess, find_named(a, "madame de Lanty", 10));
  EXPECT_EQ(countess, find_named(a, "Lanty", 10));
  EXPECT_EQ(countess->gender, "female");
  const Character* count = find_named(a, "comte de Lanty", 20);
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count, find_named(a, "monsieur de Lanty", 20));
  EXPECT_NE(count, countess);
  EXPECT_EQ(count->gender, "male");
  expect_scenes_cover(book, a);
  expect_summaries_verbatim(book, a);
}

TEST_F(AnalysisBooks, LaMorteAmoureuseIsFantasticAndCovered) {
  const Book book = load_french("la_morte_amoureuse_fr.txt");
  const Analysis a = timed(book, "la morte amoureuse");
  ASSERT_FALSE(a.characters.empty());
  EXPECT_EQ(a.characters.front().name, "Clarimonde");
  EXPECT_NE(find_named(a, "abbé Sérapion", 5), nullptr);
  const auto& hints = a.classification.genre_hints;
  EXPECT_NE(std::find(hints.begin(), hints.end(), "fantastic"), hints.end());
  const auto& flags = a.classification.flags;
  EXPECT_NE(std::find(flags.begin(), flags.end(), "death"), flags.end());
  expect_scenes_cover(book, a);
  expect_summaries_verbatim(book, a);
}

TEST_F(AnalysisBooks, AnalysisIsDeterministic) {
  const Book book = load_french("sarrasine_fr.txt");
  const Analysis a = analyse(book);
  const Analysis b = analyse(book);
  ASSERT_EQ(a.characters.size(), b.characters.size());
  for (std::size_t i = 0; i < a.characters.size(); ++i) {
    EXPECT_EQ(a.characters[i].name, b.characters[i].name);
    EXPECT_EQ(a.characters[i].aliases, b.characters[i].aliases);
    EXPECT_EQ(a.characters[i].mentions, b.characters[i].mentions);
  }
  ASSERT_EQ(a.scenes.size(), b.scenes.size());
  for (std::size_t i = 0; i < a.scenes.size(); ++i) {
    EXPECT_EQ(a.scenes[i].summary, b.scenes[i].summary);
    EXPECT_EQ(a.scenes[i].cast, b.scenes[i].cast);
    EXPECT_EQ(a.scenes[i].tone.emotions, b.scenes[i].tone.emotions);
  }
  EXPECT_EQ(a.summary, b.summary);
}

}  // namespace
}  // namespace atelier::visiobook::analysis
