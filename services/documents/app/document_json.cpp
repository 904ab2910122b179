#include "documents/app/document_json.hpp"

#include <boost/json.hpp>

namespace atelier::documents::app {

namespace json = boost::json;

namespace {

json::value opt(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

}  // namespace

json::object document_json(const Document& d) {
  json::array tags;
  for (const auto& t : d.tags) {
    tags.emplace_back(t);
  }
  return json::object{
      {"id", d.id},
      {"name", d.name},
      {"size", d.size},
      {"sha256", d.sha256},
      {"content_type", d.content_type},
      {"version", d.version},
      {"project_id", opt(d.project_id)},
      {"task_id", opt(d.task_id)},
      {"folder", d.folder},
      {"tags", std::move(tags)},
      {"ocr_status", d.ocr_status},
      {"created_by", opt(d.created_by)},
      {"created_at", format_rfc3339(d.created_at)},
      {"updated_at", format_rfc3339(d.updated_at)},
      {"deleted_at", d.deleted_at ? json::value(format_rfc3339(*d.deleted_at)) : json::value()},
  };
}

json::object version_json(const Version& v) {
  return json::object{
      {"number", v.number},
      {"name", v.name},
      {"size", v.size},
      {"sha256", v.sha256},
      {"content_type", v.content_type},
      {"created_by", opt(v.created_by)},
      {"created_at", format_rfc3339(v.created_at)},
  };
}

}  // namespace atelier::documents::app
