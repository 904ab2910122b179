// Characters and named places. A name is a run of capitalised words that are no stop-words,
// with the titles before it ("Mme", "M. de", "Captain") and inner particles ("Queen of Hearts");
// a sentence-initial word counts only if the book also capitalises it mid-sentence. Runs seen
// mostly after locative prepositions, known places and "... Street" runs are places. The other
// forms cluster: a form whose words all appear in a longer form joins it ("Rabbit" → "White
// Rabbit", "Sarrasine" → "Ernest-Jean Sarrasine"), unless their genders disagree; one family name
// borne with both male and female titles ("M. de Lanty", "Mme de Lanty") stays two people.
// Gender comes from titles and gendered nouns, else from the pronouns near single-name sentences.
#include <unicode/uchar.h>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "visiobook/domain/analysis/internal.hpp"
#include "visiobook/domain/analysis/lexicon.hpp"

namespace atelier::visiobook::analysis::detail {
namespace {

constexpr std::size_t kMaxNameTokens = 6;
constexpr std::size_t kMinPronounVotes = 5;
constexpr double kPronounMajority = 3.0;

struct Occurrence {
  std::size_t para = 0;
  std::size_t first = 0;  // first token, title included
  std::size_t core = 0;   // first name token
  std::size_t last = 0;   // one past the last token
  Gender title_gender = Gender::kUnknown;
  bool titled = false;
  bool locative = false;
  std::string surface;  // as printed, title included
  std::string core_text;
  std::vector<std::string> words;  // the name words, particles left out
  std::size_t entity = 0;
};

struct Entity {
  std::string core;
  char gender_key = ' ';  // 'm' or 'f' when one family name is borne by both
  std::vector<std::string> words;
  std::size_t count = 0;
  std::size_t titled = 0;
  std::size_t locative = 0;
  std::size_t male = 0;
  std::size_t female = 0;
  std::size_t order = 0;
  std::map<std::string, std::size_t> surfaces;
  std::map<std::string, std::size_t> titled_surfaces;
  bool place = false;
  std::size_t parent = kNone;

  Gender gender() const {
    if (male > 2 * female) {
      return Gender::kMale;
    }
    if (female > 2 * male) {
      return Gender::kFemale;
    }
    return Gender::kUnknown;
  }
};

// "Dis-moi", "Sit-down": a word whose part after a hyphen is in lower case is a phrase.
bool lower_after_hyphen(std::string_view word) {
  for (std::size_t at = word.find('-'); at != std::string_view::npos && at + 1 < word.size();
       at = word.find('-', at + 1)) {
    char32_t cp = 0;
    decode_utf8(word, at + 1, cp);
    if (u_islower(static_cast<UChar32>(cp)) != 0) {
      return true;
    }
  }
  return false;
}

bool name_part(const Token& t, Language language) {
  if (!t.capitalised || t.all_caps || t.numeric || t.elided) {
    return false;
  }
  // Months may start a name ("March Hare"); alone they are dropped later.
  return !is_name_stop_word(t.lower, language) || is_month(t.lower, language);
}

// Titles written in lower case count in French ("monsieur de Lanty", "la marquise de
// Rochefide"); English ones must be capitalised.
TitleInfo title_at(const Token& t, Language language) {
  if (t.elided || t.numeric || t.all_caps) {
    return {};
  }
  if (language == Language::kEnglish && !t.capitalised) {
    return {};
  }
  if (language == Language::kFrench && (t.lower == "m" || t.lower == "mm") && !t.capitalised) {
    return {};
  }
  return title_info(t.lower, t.period_after, language);
}

class Extractor {
 public:
  Extractor(const Doc& doc, const PlaceTimeResult& patterns) : doc_(doc), language_(doc.language) {
    consumed_.resize(doc.paras.size());
    for (std::size_t pi = 0; pi < doc.paras.size(); ++pi) {
      consumed_[pi].assign(doc.paras[pi].tokens.size(), false);
    }
    for (const Mention& m : patterns.place_patterns) {
      for (std::size_t i = m.first; i < m.last; ++i) {
        consumed_[m.para][i] = true;
      }
    }
    for (const Para& para : doc.paras) {
      for (const Token& t : para.tokens) {
        if (t.capitalised && !t.initial) {
          ++mid_caps_[std::string(para.word(t))];
        } else if (!t.capitalised) {
          lower_words_.insert(t.lower);
        }
      }
    }
  }

  // Words the book also writes in lower case: common nouns ("soup", "white").
  const std::unordered_set<std::string>& lower_words() const { return lower_words_; }

  std::vector<Occurrence> run() {
    std::vector<Occurrence> out;
    for (std::size_t pi = 0; pi < doc_.paras.size(); ++pi) {
      scan(pi, out);
    }
    return out;
  }

 private:
  bool seen_mid_sentence(const Para& para, const Token& t) const {
    return mid_caps_.count(std::string(para.word(t))) != 0;
  }

  void scan(std::size_t pi, std::vector<Occurrence>& out) {
    const Para& para = doc_.paras[pi];
    const auto& tk = para.tokens;
    std::size_t i = 0;
    while (i < tk.size()) {
      if (consumed_[pi][i]) {
        ++i;
        continue;
      }
      Occurrence occ;
      occ.para = pi;
      occ.first = i;
      std::size_t j = i;
      // Titles.
      while (j < tk.size() && j < i + 3 && (j == i || adjacent(para, j - 1, true))) {
        const TitleInfo title = title_at(tk[j], language_);
        if (!title.found) {
          break;
        }
        occ.titled = true;
        if (title.gender != Gender::kUnknown) {
          occ.title_gender = title.gender;
        }
        ++j;
      }
      // Particles after a title: "M. de Lanty", "madame de Rochefide".
      std::size_t k = j;
      if (occ.titled) {
        while (k < tk.size() && k < j + 2 && adjacent(para, k - 1, true) &&
               (is_particle(tk[k].lower, language_) ||
                (language_ == Language::kFrench && tk[k].lower == "la" && k > j))) {
          ++k;
        }
      }
      if (k < tk.size() && k > i && !adjacent(para, k - 1, true)) {
        k = tk.size();  // punctuation after the title: no name follows
      }
      // Name words, with inner particles.
      std::size_t m = k;
      while (m < tk.size() && m - k < kMaxNameTokens && !consumed_[pi][m]) {
        if (m > k && !adjacent(para, m - 1)) {
          break;
        }
        if (name_part(tk[m], language_)) {
          ++m;
          continue;
        }
        if (m > k && is_particle(tk[m].lower, language_) && m + 1 < tk.size() &&
            adjacent(para, m) && name_part(tk[m + 1], language_) && !consumed_[pi][m + 1]) {
          m += 2;
          continue;
        }
        break;
      }
      if (k >= tk.size() || m == k) {
        // A title alone: "the Captain" names someone, "Sir" or "Madame" alone nobody.
        if (occ.titled && j == i + 1 && tk[i].capitalised && !tk[i].initial &&
            !title_at(tk[i], language_).address) {
          k = i;
          m = i + 1;
          occ.titled = false;
        } else {
          i = std::max(i + 1, j);
          continue;
        }
      }
      // A sentence-initial word is a name only if the book capitalises it mid-sentence too, or
      // never writes it in lower case: "Poor Alice" is Alice, "Ernest-Jean Sarrasine" stays.
      if (!occ.titled) {
        while (k < m && tk[k].initial && !seen_mid_sentence(para, tk[k]) &&
               (lower_words_.count(tk[k].lower) != 0 || lower_after_hyphen(para.word(tk[k])))) {
          ++k;
        }
        while (k < m && is_particle(tk[k].lower, language_)) {
          ++k;
        }
        if (k == m) {
          i = m;
          continue;
        }
        occ.first = k;
      }
      while (m > k && is_particle(tk[m - 1].lower, language_)) {
        --m;
      }
      occ.core = k;
      occ.last = m;
      occ.locative = is_locative_context(para, occ.first, language_);
      occ.surface = std::string(para.slice(tk[occ.first].begin, tk[m - 1].end));
      occ.core_text = std::string(para.slice(tk[k].begin, tk[m - 1].end));
      for (std::size_t w = k; w < m; ++w) {
        if (!is_particle(tk[w].lower, language_)) {
          occ.words.emplace_back(para.word(tk[w]));
        }
      }
      if (occ.words.size() == 1 && !occ.titled && is_month(tk[k].lower, language_)) {
        i = m;
        continue;
      }
      out.push_back(std::move(occ));
      i = m;
    }
  }

  const Doc& doc_;
  Language language_;
  std::vector<std::vector<bool>> consumed_;
  std::unordered_map<std::string, std::size_t> mid_caps_;
  std::unordered_set<std::string> lower_words_;
};

std::size_t root_of(std::vector<Entity>& entities, std::size_t e) {
  while (entities[e].parent != kNone) {
    e = entities[e].parent;
  }
  return e;
}

bool is_place_entity(const Entity& e, Language language,
                     const std::unordered_set<std::string>& lower_words) {
  if (e.titled > 0) {
    return false;
  }
  if (e.words.size() == 1 && is_known_place(to_lower(e.words.front()), language)) {
    return true;
  }
  if (e.words.size() >= 2 && (is_place_head(to_lower(e.words.front()), language) ||
                              is_place_head(to_lower(e.words.back()), language))) {
    return true;
  }
  // After "in", "à" mostly, unless the book also writes the word in lower case ("to Time").
  return e.locative * 2 >= e.count && e.words.size() == 1 &&
         lower_words.count(to_lower(e.words.front())) == 0;
}

bool same_words(const Entity& a, const Entity& b) {
  return a.words == b.words;
}

std::vector<Entity> build_entities(std::vector<Occurrence>& occs, Language language,
                                   const std::unordered_set<std::string>& lower_words) {
  // Which family names are borne with both male and female titles.
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> title_genders;
  for (const auto& o : occs) {
    auto& g = title_genders[o.core_text];
    g.first += o.title_gender == Gender::kMale ? 1 : 0;
    g.second += o.title_gender == Gender::kFemale ? 1 : 0;
  }
  std::vector<Entity> entities;
  std::unordered_map<std::string, std::size_t> index;
  for (auto& o : occs) {
    const auto& g = title_genders[o.core_text];
    char key = ' ';
    if (g.first > 0 && g.second > 0) {
      key = o.title_gender == Gender::kMale ? 'm' : o.title_gender == Gender::kFemale ? 'f' : ' ';
    }
    const std::string id = o.core_text + '\x1f' + key;
    auto [it, added] = index.emplace(id, entities.size());
    if (added) {
      Entity e;
      e.core = o.core_text;
      e.gender_key = key;
      e.words = o.words;
      e.order = entities.size();
      entities.push_back(std::move(e));
    }
    Entity& e = entities[it->second];
    o.entity = it->second;
    ++e.count;
    e.titled += o.titled ? 1 : 0;
    e.locative += o.locative ? 1 : 0;
    ++e.surfaces[o.surface];
    if (o.titled) {
      ++e.titled_surfaces[o.surface];
    }
    Gender gender = o.title_gender;
    if (gender == Gender::kUnknown) {
      for (const auto& w : o.words) {
        if (const Gender n = noun_gender(to_lower(w), language); n != Gender::kUnknown) {
          gender = n;
        }
      }
    }
    e.male += gender == Gender::kMale ? 1 : 0;
    e.female += gender == Gender::kFemale ? 1 : 0;
  }
  for (auto& e : entities) {
    e.place = is_place_entity(e, language, lower_words);
  }
  return entities;
}

void cluster(std::vector<Entity>& entities, const std::unordered_set<std::string>& lower_words) {
  // An untitled family name borne by a man and a woman goes with the more mentioned of them.
  std::unordered_map<std::string, std::vector<std::size_t>> by_core;
  for (std::size_t e = 0; e < entities.size(); ++e) {
    by_core[entities[e].core].push_back(e);
  }
  for (auto& [core, list] : by_core) {
    if (list.size() < 2) {
      continue;
    }
    std::size_t best = kNone;
    for (const std::size_t e : list) {
      if (entities[e].gender_key != ' ' &&
          (best == kNone || entities[e].count > entities[best].count)) {
        best = e;
      }
    }
    for (const std::size_t e : list) {
      if (entities[e].gender_key == ' ' && best != kNone) {
        entities[e].parent = best;
      }
    }
  }
  // Shorter forms join the most mentioned longer form holding all their words.
  std::unordered_map<std::string, std::vector<std::size_t>> by_word;
  for (std::size_t e = 0; e < entities.size(); ++e) {
    if (entities[e].place) {
      continue;
    }
    for (const auto& w : entities[e].words) {
      by_word[w].push_back(e);
    }
  }
  for (std::size_t e = 0; e < entities.size(); ++e) {
    Entity& small = entities[e];
    if (small.place || small.parent != kNone) {
      continue;
    }
    const std::vector<std::size_t>* rarest = nullptr;
    for (const auto& w : small.words) {
      const auto& list = by_word[w];
      if (rarest == nullptr || list.size() < rarest->size()) {
        rarest = &list;
      }
    }
    if (rarest == nullptr) {
      continue;
    }
    std::size_t best = kNone;
    bool tie = false;
    for (const std::size_t s : *rarest) {
      const Entity& big = entities[s];
      if (big.words.size() <= small.words.size()) {
        continue;
      }
      // A longer form seen once whose other words are common nouns is a phrase, not a fuller
      // name: "Mock Turtle Soup".
      if (big.count == 1 && std::any_of(big.words.begin(), big.words.end(), [&](const auto& w) {
            return std::find(small.words.begin(), small.words.end(), w) == small.words.end() &&
                   lower_words.count(to_lower(w)) != 0;
          })) {
        continue;
      }
      const bool all = std::all_of(small.words.begin(), small.words.end(), [&](const auto& w) {
        return std::find(big.words.begin(), big.words.end(), w) != big.words.end();
      });
      const Gender a = small.gender();
      const Gender b = big.gender();
      if (!all || (a != Gender::kUnknown && b != Gender::kUnknown && a != b)) {
        continue;
      }
      if (best == kNone || big.count > entities[best].count) {
        best = s;
        tie = false;
      } else if (big.count == entities[best].count && !same_words(big, entities[best])) {
        tie = true;
      }
    }
    // Two fuller forms as likely as each other ("Matthieu Sarrasine", "Ernest-Jean Sarrasine"):
    // the short form could be either, so it stays apart.
    small.parent = tie ? kNone : best;
  }
}

std::string gender_name(Gender g) {
  switch (g) {
    case Gender::kMale:
      return "male";
    case Gender::kFemale:
      return "female";
    default:
      return "";
  }
}

// Pronoun votes: in a sentence naming one character only, and the next one naming nobody.
void vote_pronouns(const Doc& doc, const std::vector<Mention>& mentions,
                   std::vector<std::array<std::size_t, 3>>& votes) {
  std::size_t mi = 0;
  for (std::size_t pi = 0; pi < doc.paras.size(); ++pi) {
    const Para& para = doc.paras[pi];
    std::vector<std::size_t> who(para.sentences.size(), kNone);
    std::vector<bool> crowded(para.sentences.size(), false);
    for (; mi < mentions.size() && mentions[mi].para == pi; ++mi) {
      const std::size_t s = para.tokens[mentions[mi].first].sentence;
      if (who[s] != kNone && who[s] != mentions[mi].target) {
        crowded[s] = true;
      }
      who[s] = mentions[mi].target;
    }
    for (const Token& t : para.tokens) {
      const Gender g = pronoun_gender(t.lower, doc.language);
      if (g == Gender::kUnknown) {
        continue;
      }
      std::size_t s = t.sentence;
      if (who[s] == kNone && s > 0 && !crowded[s]) {
        --s;  // the sentence before names the antecedent
      }
      if (who[s] == kNone || crowded[s]) {
        continue;
      }
      const std::size_t slot = g == Gender::kMale ? 0 : g == Gender::kFemale ? 1 : 2;
      ++votes[who[s]][slot];
    }
  }
}

}  // namespace

CharacterResult find_characters(const Doc& doc, const PlaceTimeResult& patterns,
                                const Options& options) {
  const Language language = doc.language;
  Extractor extractor(doc, patterns);
  std::vector<Occurrence> occs = extractor.run();
  std::vector<Entity> entities = build_entities(occs, language, extractor.lower_words());
  cluster(entities, extractor.lower_words());

  // Clusters.
  struct Cluster {
    std::size_t root = 0;
    std::size_t mentions = 0;
    std::size_t male = 0;
    std::size_t female = 0;
    std::map<std::string, std::size_t> forms;
  };
  std::vector<Cluster> clusters;
  std::vector<std::size_t> cluster_of(entities.size(), kNone);
  for (std::size_t e = 0; e < entities.size(); ++e) {
    if (entities[e].place) {
      continue;
    }
    const std::size_t root = root_of(entities, e);
    if (cluster_of[root] == kNone) {
      cluster_of[root] = clusters.size();
      clusters.push_back({root, 0, 0, 0, {}});
    }
    cluster_of[e] = cluster_of[root];
    Cluster& c = clusters[cluster_of[root]];
    c.mentions += entities[e].count;
    c.male += entities[e].male;
    c.female += entities[e].female;
    for (const auto& [surface, n] : entities[e].surfaces) {
      c.forms[surface] += n;
    }
  }
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    if (clusters[c].mentions >= options.min_mentions && clusters[c].mentions > 0) {
      order.push_back(c);
    }
  }
  const auto name_of = [&](const Cluster& c) {
    const Entity& root = entities[c.root];
    if (root.words.size() == 1 && root.titled * 2 >= root.count && !root.titled_surfaces.empty()) {
      const auto best =
          std::max_element(root.titled_surfaces.begin(), root.titled_surfaces.end(),
                           [](const auto& a, const auto& b) { return a.second < b.second; });
      return best->first;
    }
    return root.core;
  };
  std::vector<std::string> names(clusters.size());
  for (const std::size_t c : order) {
    names[c] = name_of(clusters[c]);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (clusters[a].mentions != clusters[b].mentions) {
      return clusters[a].mentions > clusters[b].mentions;
    }
    return names[a] < names[b];
  });
  if (order.size() > options.max_characters) {
    order.resize(options.max_characters);
  }

  CharacterResult out;
  std::vector<std::size_t> rank(clusters.size(), kNone);
  for (std::size_t r = 0; r < order.size(); ++r) {
    const Cluster& c = clusters[order[r]];
    rank[order[r]] = r;
    Character ch;
    ch.id = "c" + std::to_string(r + 1);
    ch.name = names[order[r]];
    ch.mentions = c.mentions;
    std::vector<std::pair<std::string, std::size_t>> forms(c.forms.begin(), c.forms.end());
    std::stable_sort(forms.begin(), forms.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [form, n] : forms) {
      if (form != ch.name) {
        ch.aliases.push_back(form);
      }
    }
    out.characters.push_back(std::move(ch));
  }
  for (const auto& o : occs) {
    const std::size_t c = cluster_of[o.entity];
    if (c != kNone && rank[c] != kNone) {
      out.mentions.push_back({o.para, o.first, o.last, rank[c]});
    }
  }

  // Gender: titles and gendered nouns first, pronouns otherwise.
  std::vector<std::array<std::size_t, 3>> votes(out.characters.size(), {0, 0, 0});
  vote_pronouns(doc, out.mentions, votes);
  for (std::size_t r = 0; r < order.size(); ++r) {
    const Cluster& c = clusters[order[r]];
    Gender g = Gender::kUnknown;
    if (c.male > 2 * c.female) {
      g = Gender::kMale;
    } else if (c.female > 2 * c.male) {
      g = Gender::kFemale;
    } else if (c.male == 0 && c.female == 0) {
      const double m = static_cast<double>(votes[r][0]);
      const double f = static_cast<double>(votes[r][1]);
      const double n = static_cast<double>(votes[r][2]);
      if (votes[r][0] >= kMinPronounVotes && m >= kPronounMajority * f && m >= n) {
        g = Gender::kMale;
      } else if (votes[r][1] >= kMinPronounVotes && f >= kPronounMajority * m && f >= n) {
        g = Gender::kFemale;
      }
    }
    out.characters[r].gender = gender_name(g);
  }

  // Places: the named ones after prepositions, known ones, "... Street", and the patterns.
  std::map<std::string, std::size_t> place_index;
  std::vector<std::size_t> entity_place(entities.size(), kNone);
  for (std::size_t e = 0; e < entities.size(); ++e) {
    if (entities[e].place) {
      auto [it, added] = place_index.emplace(entities[e].core, out.places.size());
      if (added) {
        out.places.push_back({entities[e].core, 0});
      }
      out.places[it->second].mentions += entities[e].count;
      entity_place[e] = it->second;
    }
  }
  for (const Mention& m : patterns.place_patterns) {
    const std::string& name = patterns.pattern_names[m.target];
    auto [it, added] = place_index.emplace(name, out.places.size());
    if (added) {
      out.places.push_back({name, 0});
    }
    ++out.places[it->second].mentions;
    out.place_mentions.push_back({m.para, m.first, m.last, it->second});
  }
  for (const auto& o : occs) {
    if (entity_place[o.entity] != kNone) {
      out.place_mentions.push_back({o.para, o.first, o.last, entity_place[o.entity]});
    }
  }
  // Most mentioned first; the mentions keep pointing at the same places.
  std::vector<std::size_t> place_order(out.places.size());
  for (std::size_t p = 0; p < place_order.size(); ++p) {
    place_order[p] = p;
  }
  std::stable_sort(place_order.begin(), place_order.end(), [&](std::size_t a, std::size_t b) {
    if (out.places[a].mentions != out.places[b].mentions) {
      return out.places[a].mentions > out.places[b].mentions;
    }
    return out.places[a].name < out.places[b].name;
  });
  std::vector<std::size_t> new_index(out.places.size());
  std::vector<Place> sorted;
  for (std::size_t r = 0; r < place_order.size(); ++r) {
    new_index[place_order[r]] = r;
    sorted.push_back(out.places[place_order[r]]);
  }
  out.places = std::move(sorted);
  for (Mention& m : out.place_mentions) {
    m.target = new_index[m.target];
  }
  const auto by_position = [](const Mention& a, const Mention& b) {
    return a.para != b.para ? a.para < b.para : a.first < b.first;
  };
  std::stable_sort(out.place_mentions.begin(), out.place_mentions.end(), by_position);
  std::stable_sort(out.mentions.begin(), out.mentions.end(), by_position);
  return out;
}

}  // namespace atelier::visiobook::analysis::detail
