#include "visiobook/app/json.hpp"

#include <boost/json.hpp>
#include <optional>

namespace atelier::visiobook::app {

namespace json = boost::json;

namespace {

Error malformed(std::string what) {
  return Error::internal("visiobook: a stored " + what + " is malformed");
}

const json::value* member(const json::object& o, std::string_view key) {
  return o.if_contains(key);
}

std::string text_of(const json::object& o, std::string_view key) {
  const json::value* v = member(o, key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t int_of(const json::object& o, std::string_view key, int64_t fallback = 0) {
  const json::value* v = member(o, key);
  return v != nullptr && v->is_int64() ? v->as_int64() : fallback;
}

size_t size_of(const json::object& o, std::string_view key) {
  const json::value* v = member(o, key);
  if (v != nullptr && v->is_uint64()) {
    return static_cast<size_t>(v->as_uint64());
  }
  return v != nullptr && v->is_int64() && v->as_int64() >= 0 ? static_cast<size_t>(v->as_int64())
                                                             : 0;
}

double number_of(const json::value* v) {
  if (v == nullptr) {
    return 0;
  }
  if (v->is_double()) {
    return v->as_double();
  }
  if (v->is_int64()) {
    return static_cast<double>(v->as_int64());
  }
  return v->is_uint64() ? static_cast<double>(v->as_uint64()) : 0;
}

// The strings of an array member; false when it is missing or holds anything else.
bool strings_of(const json::object& o, std::string_view key, std::vector<std::string>& out) {
  const json::value* v = member(o, key);
  if (v == nullptr || !v->is_array()) {
    return false;
  }
  out.clear();
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) {
      return false;
    }
    out.emplace_back(item.as_string());
  }
  return true;
}

// The objects of an array member, or null when it is missing or holds anything else.
const json::array* objects_of(const json::object& o, std::string_view key) {
  const json::value* v = member(o, key);
  if (v == nullptr || !v->is_array()) {
    return nullptr;
  }
  for (const auto& item : v->as_array()) {
    if (!item.is_object()) {
      return nullptr;
    }
  }
  return &v->as_array();
}

std::optional<analysis::Emotion> emotion_of(std::string_view name) {
  for (auto e :
       {analysis::Emotion::kJoy, analysis::Emotion::kSadness, analysis::Emotion::kFear,
        analysis::Emotion::kAnger, analysis::Emotion::kSurprise, analysis::Emotion::kDisgust,
        analysis::Emotion::kTrust, analysis::Emotion::kAnticipation}) {
    if (name == analysis::emotion_name(e)) {
      return e;
    }
  }
  return std::nullopt;
}

Result<analysis::Tone> tone_of(const json::value* v) {
  if (v == nullptr || !v->is_object()) {
    return malformed("analysis");
  }
  const auto& o = v->as_object();
  analysis::Tone t;
  const json::value* emotions = member(o, "emotions");
  if (emotions == nullptr || !emotions->is_object()) {
    return malformed("analysis");
  }
  for (const auto& [name, share] : emotions->as_object()) {
    auto e = emotion_of(name);
    if (!e) {
      return malformed("analysis");
    }
    t.emotions[*e] = number_of(&share);
  }
  t.valence = number_of(member(o, "valence"));
  t.arousal = number_of(member(o, "arousal"));
  if (const json::value* dominant = member(o, "dominant");
      dominant != nullptr && dominant->is_string()) {
    auto e = emotion_of(dominant->as_string());
    if (!e) {
      return malformed("analysis");
    }
    t.dominant = *e;
  }
  return t;
}

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) {
    out.emplace_back(s);
  }
  return out;
}

json::array colour(const domain::Colour& c) {
  return json::array{c.r, c.g, c.b};
}

domain::Colour colour_of(const json::object& o, std::string_view key) {
  domain::Colour c;
  const json::value* v = member(o, key);
  if (v != nullptr && v->is_array() && v->as_array().size() == 3) {
    const auto& a = v->as_array();
    auto d = [](const json::value& x) { return x.is_double() ? x.as_double() : 0.0; };
    c = {d(a[0]), d(a[1]), d(a[2])};
  }
  return c;
}

}  // namespace

json::object settings_json(const domain::Settings& s) {
  return json::object{
      {"style", domain::style_name(s.style)},
      {"aspect", domain::aspect_name(s.aspect)},
      {"pacing", domain::pacing_name(s.pacing)},
      {"language", s.language ? json::value(domain::language_code(*s.language)) : nullptr},
      {"voice", s.voice},
      {"target_minutes", s.target_minutes}};
}

Result<domain::Settings> settings_of(const json::value& v) {
  if (!v.is_object()) {
    return malformed("settings");
  }
  const auto& o = v.as_object();
  domain::Settings s;
  auto style = domain::parse_style(text_of(o, "style"));
  auto aspect = domain::parse_aspect(text_of(o, "aspect"));
  auto pacing = domain::parse_pacing(text_of(o, "pacing"));
  if (!style || !aspect || !pacing) {
    return malformed("settings");
  }
  s.style = *style;
  s.aspect = *aspect;
  s.pacing = *pacing;
  s.language = domain::parse_language(text_of(o, "language"));
  s.voice = text_of(o, "voice");
  s.target_minutes = static_cast<int>(int_of(o, "target_minutes", 5));
  return s;
}

json::array stages_json(const std::vector<domain::StageState>& stages) {
  json::array out;
  for (const auto& s : stages) {
    json::object o{{"stage", domain::stage_name(s.stage)},
                   {"status", domain::stage_status_name(s.status)},
                   {"progress", s.progress}};
    if (!s.error.empty()) {
      o["error"] = s.error;
    }
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<domain::StageState>> stages_of(const json::value& v) {
  if (!v.is_array()) {
    return malformed("stage list");
  }
  std::vector<domain::StageState> out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) {
      return malformed("stage list");
    }
    const auto& o = item.as_object();
    auto stage = domain::parse_stage(text_of(o, "stage"));
    auto status = domain::parse_stage_status(text_of(o, "status"));
    if (!stage || !status) {
      return malformed("stage list");
    }
    out.push_back({*stage, *status, static_cast<int>(int_of(o, "progress")), text_of(o, "error")});
  }
  return out;
}

json::object book_project_json(const BookProject& b) {
  json::object o{{"id", b.id},
                 {"title", b.title},
                 {"author", b.author},
                 {"settings", settings_json(b.settings)},
                 {"status", domain::status_name(b.status)},
                 {"stages", stages_json(b.stages)},
                 {"run_from", b.run_from ? json::value(domain::stage_name(*b.run_from)) : nullptr},
                 {"current_version", b.current_version},
                 {"error", b.error.empty() ? json::value(nullptr) : json::value(b.error)},
                 {"created_by", b.created_by},
                 {"created_at", format_rfc3339(b.created_at)},
                 {"updated_at", format_rfc3339(b.updated_at)}};
  if (b.source) {
    o["source"] = json::object{{"name", b.source->name},
                               {"format", b.source->format},
                               {"size", b.source->size},
                               {"sha256", b.source->key}};
  } else {
    o["source"] = nullptr;
  }
  return o;
}

json::object version_json(const BookVersion& v) {
  json::value summary;
  boost::system::error_code ec;
  summary = json::parse(v.summary_json, ec);
  if (ec) {
    summary = json::object{};
  }
  return json::object{
      {"number", v.number},
      {"settings", settings_json(v.settings)},
      {"run_from", domain::stage_name(v.run_from)},
      {"status", v.status},
      {"summary", std::move(summary)},
      {"created_at", format_rfc3339(v.created_at)},
      {"finished_at", v.finished_at ? json::value(format_rfc3339(*v.finished_at)) : nullptr}};
}

json::object file_json(const BookFile& f) {
  return json::object{{"name", f.name},
                      {"stage", domain::stage_name(f.stage)},
                      {"content_type", f.content_type},
                      {"size", f.size},
                      {"sha256", f.blob_key}};
}

json::object book_json(const domain::Book& book) {
  json::array chapters;
  for (const auto& c : book.chapters) {
    json::array paragraphs;
    for (const auto& p : c.paragraphs) {
      json::object po{{"text", p.text}};
      if (p.after_break) {
        po["after_break"] = true;
      }
      paragraphs.push_back(std::move(po));
    }
    chapters.push_back(json::object{{"title", c.title}, {"paragraphs", std::move(paragraphs)}});
  }
  return json::object{{"title", book.title},
                      {"author", book.author},
                      {"language", domain::language_code(book.language)},
                      {"chapters", std::move(chapters)}};
}

Result<domain::Book> book_of(const json::value& v) {
  if (!v.is_object()) {
    return malformed("book");
  }
  const auto& o = v.as_object();
  domain::Book book;
  book.title = text_of(o, "title");
  book.author = text_of(o, "author");
  book.language =
      domain::parse_language(text_of(o, "language")).value_or(domain::Language::kEnglish);
  const json::value* chapters = member(o, "chapters");
  if (chapters == nullptr || !chapters->is_array()) {
    return malformed("book");
  }
  for (const auto& cv : chapters->as_array()) {
    if (!cv.is_object()) {
      return malformed("book");
    }
    domain::Chapter chapter;
    chapter.title = text_of(cv.as_object(), "title");
    const json::value* paragraphs = member(cv.as_object(), "paragraphs");
    if (paragraphs == nullptr || !paragraphs->is_array()) {
      return malformed("book");
    }
    for (const auto& pv : paragraphs->as_array()) {
      if (!pv.is_object()) {
        return malformed("book");
      }
      const json::value* brk = member(pv.as_object(), "after_break");
      chapter.paragraphs.push_back(
          {text_of(pv.as_object(), "text"), brk != nullptr && brk->is_bool() && brk->as_bool()});
    }
    book.chapters.push_back(std::move(chapter));
  }
  return book;
}

json::object tone_json(const analysis::Tone& t) {
  json::object emotions;
  for (const auto& [e, share] : t.emotions) {
    emotions[analysis::emotion_name(e)] = share;
  }
  return json::object{
      {"emotions", std::move(emotions)},
      {"valence", t.valence},
      {"arousal", t.arousal},
      {"dominant", t.emotions.empty() ? json::value(nullptr)
                                      : json::value(analysis::emotion_name(t.dominant))}};
}

json::object character_json(const analysis::Character& c) {
  return json::object{{"id", c.id},
                      {"name", c.name},
                      {"aliases", strings(c.aliases)},
                      {"mentions", c.mentions},
                      {"lines_spoken", c.lines_spoken},
                      {"gender", c.gender.empty() ? json::value(nullptr) : json::value(c.gender)}};
}

json::object scene_json(const analysis::Scene& s) {
  return json::object{{"index", s.index},
                      {"chapter", s.chapter},
                      {"first_paragraph", s.first_paragraph},
                      {"last_paragraph", s.last_paragraph},
                      {"place", s.place},
                      {"setting", s.setting},
                      {"time_marker", s.time_marker},
                      {"cast", strings(s.cast)},
                      {"summary", strings(s.summary)},
                      {"tone", tone_json(s.tone)},
                      {"flags", strings(s.flags)},
                      {"break_reason", s.break_reason},
                      {"words", s.words}};
}

json::object analysis_json(const analysis::Analysis& a) {
  json::array characters;
  for (const auto& c : a.characters) {
    characters.push_back(character_json(c));
  }
  json::array places;
  for (const auto& p : a.places) {
    places.push_back(json::object{{"name", p.name}, {"mentions", p.mentions}});
  }
  json::array dialogue;
  for (const auto& d : a.dialogue) {
    dialogue.push_back(
        json::object{{"chapter", d.at.chapter},
                     {"paragraph", d.at.paragraph},
                     {"offset", d.at.offset},
                     {"text", d.text},
                     {"character_id", d.character_id.empty() ? json::value(nullptr)
                                                             : json::value(d.character_id)}});
  }
  json::array scenes;
  for (const auto& s : a.scenes) {
    scenes.push_back(scene_json(s));
  }
  return json::object{
      {"language", domain::language_code(a.language)},
      {"sentences", a.sentences},
      {"words", a.words},
      {"characters", std::move(characters)},
      {"places", std::move(places)},
      {"time_markers", strings(a.time_markers)},
      {"dialogue", std::move(dialogue)},
      {"scenes", std::move(scenes)},
      {"classification", json::object{{"genre_hints", strings(a.classification.genre_hints)},
                                      {"flags", strings(a.classification.flags)}}},
      {"summary", strings(a.summary)}};
}

Result<analysis::Analysis> analysis_of(const json::value& v) {
  if (!v.is_object()) {
    return malformed("analysis");
  }
  const auto& o = v.as_object();
  analysis::Analysis a;
  a.language = domain::parse_language(text_of(o, "language")).value_or(domain::Language::kEnglish);
  a.sentences = size_of(o, "sentences");
  a.words = size_of(o, "words");
  const json::array* characters = objects_of(o, "characters");
  const json::array* places = objects_of(o, "places");
  const json::array* dialogue = objects_of(o, "dialogue");
  const json::array* scenes = objects_of(o, "scenes");
  const json::value* classification = member(o, "classification");
  if (characters == nullptr || places == nullptr || dialogue == nullptr || scenes == nullptr ||
      classification == nullptr || !classification->is_object() ||
      !strings_of(o, "time_markers", a.time_markers) || !strings_of(o, "summary", a.summary) ||
      !strings_of(classification->as_object(), "genre_hints", a.classification.genre_hints) ||
      !strings_of(classification->as_object(), "flags", a.classification.flags)) {
    return malformed("analysis");
  }
  for (const auto& cv : *characters) {
    const auto& co = cv.as_object();
    analysis::Character c;
    c.id = text_of(co, "id");
    c.name = text_of(co, "name");
    if (!strings_of(co, "aliases", c.aliases)) {
      return malformed("analysis");
    }
    c.mentions = size_of(co, "mentions");
    c.lines_spoken = size_of(co, "lines_spoken");
    c.gender = text_of(co, "gender");
    a.characters.push_back(std::move(c));
  }
  for (const auto& pv : *places) {
    a.places.push_back({text_of(pv.as_object(), "name"), size_of(pv.as_object(), "mentions")});
  }
  for (const auto& dv : *dialogue) {
    const auto& d = dv.as_object();
    a.dialogue.push_back(
        {analysis::Position{size_of(d, "chapter"), size_of(d, "paragraph"), size_of(d, "offset")},
         text_of(d, "text"), text_of(d, "character_id")});
  }
  for (const auto& sv : *scenes) {
    const auto& so = sv.as_object();
    analysis::Scene s;
    s.index = size_of(so, "index");
    s.chapter = size_of(so, "chapter");
    s.first_paragraph = size_of(so, "first_paragraph");
    s.last_paragraph = size_of(so, "last_paragraph");
    s.place = text_of(so, "place");
    s.setting = text_of(so, "setting");
    s.time_marker = text_of(so, "time_marker");
    auto tone = tone_of(member(so, "tone"));
    if (!tone || !strings_of(so, "cast", s.cast) || !strings_of(so, "summary", s.summary) ||
        !strings_of(so, "flags", s.flags)) {
      return malformed("analysis");
    }
    s.tone = std::move(*tone);
    s.break_reason = text_of(so, "break_reason");
    s.words = size_of(so, "words");
    a.scenes.push_back(std::move(s));
  }
  return a;
}

json::object storyboard_json(const domain::Storyboard& board) {
  json::array shots;
  for (const auto& s : board.shots) {
    json::array figures;
    for (const auto& f : s.figures) {
      figures.push_back(json::object{{"character_id", f.character_id},
                                     {"name", f.name},
                                     {"colour", colour(f.colour)},
                                     {"speaking", f.speaking}});
    }
    shots.push_back(json::object{{"scene", s.scene},
                                 {"chapter", s.chapter},
                                 {"title", s.title},
                                 {"caption", s.caption},
                                 {"narration", s.narration},
                                 {"setting", domain::setting_name(s.setting)},
                                 {"time", domain::time_of_day_name(s.time)},
                                 {"primary", colour(s.primary)},
                                 {"secondary", colour(s.secondary)},
                                 {"figures", std::move(figures)},
                                 {"notes", s.notes},
                                 {"narration_words", s.narration_words}});
  }
  json::array chapters;
  for (const auto& c : board.chapters) {
    chapters.push_back(json::object{{"title", c.title}, {"first_shot", c.first_shot}});
  }
  return json::object{{"shots", std::move(shots)},
                      {"chapters", std::move(chapters)},
                      {"narration_words", board.narration_words}};
}

Result<domain::Storyboard> storyboard_of(const json::value& v) {
  if (!v.is_object()) {
    return malformed("storyboard");
  }
  const auto& o = v.as_object();
  const json::value* shots = member(o, "shots");
  const json::value* chapters = member(o, "chapters");
  if (shots == nullptr || !shots->is_array() || chapters == nullptr || !chapters->is_array()) {
    return malformed("storyboard");
  }
  domain::Storyboard board;
  for (const auto& sv : shots->as_array()) {
    if (!sv.is_object()) {
      return malformed("storyboard");
    }
    const auto& so = sv.as_object();
    domain::Shot s;
    s.scene = static_cast<size_t>(int_of(so, "scene"));
    s.chapter = static_cast<size_t>(int_of(so, "chapter"));
    s.title = text_of(so, "title");
    s.caption = text_of(so, "caption");
    s.narration = text_of(so, "narration");
    const std::string setting = text_of(so, "setting");
    for (auto candidate :
         {domain::Setting::kInterior, domain::Setting::kStreet, domain::Setting::kCountryside,
          domain::Setting::kForest, domain::Setting::kSea, domain::Setting::kMountain}) {
      if (domain::setting_name(candidate) == setting) {
        s.setting = candidate;
      }
    }
    const std::string time = text_of(so, "time");
    s.time = time == "night"  ? domain::TimeOfDay::kNight
             : time == "dusk" ? domain::TimeOfDay::kDusk
                              : domain::TimeOfDay::kDay;
    s.primary = colour_of(so, "primary");
    s.secondary = colour_of(so, "secondary");
    s.notes = text_of(so, "notes");
    s.narration_words = static_cast<size_t>(int_of(so, "narration_words"));
    if (const json::value* figures = member(so, "figures");
        figures != nullptr && figures->is_array()) {
      for (const auto& fv : figures->as_array()) {
        if (!fv.is_object()) {
          return malformed("storyboard");
        }
        const auto& fo = fv.as_object();
        const json::value* speaking = member(fo, "speaking");
        s.figures.push_back({text_of(fo, "character_id"), text_of(fo, "name"),
                             colour_of(fo, "colour"),
                             speaking != nullptr && speaking->is_bool() && speaking->as_bool()});
      }
    }
    board.narration_words += s.narration_words;
    board.shots.push_back(std::move(s));
  }
  for (const auto& cv : chapters->as_array()) {
    if (!cv.is_object()) {
      return malformed("storyboard");
    }
    board.chapters.push_back({text_of(cv.as_object(), "title"),
                              static_cast<size_t>(int_of(cv.as_object(), "first_shot"))});
  }
  return board;
}

}  // namespace atelier::visiobook::app
