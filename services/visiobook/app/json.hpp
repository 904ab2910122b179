// JSON forms of the VisioBook model: what the API answers and what the pipeline keeps as files
// (book.json, analysis.json, storyboard.json). The ones a later stage reads back parse too.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "atelier/core/error.hpp"
#include "visiobook/app/model.hpp"
#include "visiobook/domain/analysis/analysis.hpp"
#include "visiobook/domain/book.hpp"
#include "visiobook/domain/storyboard.hpp"

namespace atelier::visiobook::app {

boost::json::object settings_json(const domain::Settings& s);
Result<domain::Settings> settings_of(const boost::json::value& v);  // from settings_json's form

boost::json::array stages_json(const std::vector<domain::StageState>& stages);
Result<std::vector<domain::StageState>> stages_of(const boost::json::value& v);

boost::json::object book_project_json(const BookProject& b);
boost::json::object version_json(const BookVersion& v);
boost::json::object file_json(const BookFile& f);

boost::json::object book_json(const domain::Book& book);
Result<domain::Book> book_of(const boost::json::value& v);

boost::json::object analysis_json(const analysis::Analysis& a);
// From analysis_json's form (analysis.json): the same analysis back.
Result<analysis::Analysis> analysis_of(const boost::json::value& v);
boost::json::object scene_json(const analysis::Scene& s);
boost::json::object character_json(const analysis::Character& c);
boost::json::object tone_json(const analysis::Tone& t);

// The planned shots as storyboard.json holds them (panel i is the file panels/000i.png).
boost::json::object storyboard_json(const domain::Storyboard& board);
Result<domain::Storyboard> storyboard_of(const boost::json::value& v);

}  // namespace atelier::visiobook::app
