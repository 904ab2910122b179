#include "projects/adapters/bodies.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace atelier::projects::adapters {

namespace json = boost::json;

namespace {

constexpr size_t kMaxFieldBytes = 8192;  // generous: the domain enforces the real limits
constexpr size_t kMaxTextBytes = 32768;  // descriptions

// Reads a JSON object member by member, for a creation body or a JSON Merge Patch (RFC 7396):
// each accessor takes one member, and finish() reports every member nobody asked for as unknown,
// with all the other field errors at once.
class MemberReader {
 public:
  explicit MemberReader(const json::object& body, std::string prefix = {})
      : body_(body), prefix_(std::move(prefix)) {}

  // A member that cannot be cleared: nullopt when absent (null is an error).
  std::optional<std::string> text(std::string_view name, size_t max_bytes = kMaxFieldBytes) {
    const json::value* v = take(name);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (v->is_null()) {
      fail(name, "This field cannot be cleared.");
      return std::nullopt;
    }
    return string_of(*v, name, max_bytes);
  }
  // A member that null clears: the outer optional says whether it was sent.
  std::optional<std::optional<std::string>> clearable_text(std::string_view name,
                                                           size_t max_bytes = kMaxFieldBytes) {
    const json::value* v = take(name);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (v->is_null()) {
      return std::optional<std::string>();
    }
    if (auto s = string_of(*v, name, max_bytes)) {
      return std::optional<std::string>(std::move(*s));
    }
    return std::nullopt;
  }
  std::optional<int64_t> integer(std::string_view name) {
    const json::value* v = take(name);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_int64()) {
      fail(name, "Expected an integer.");
      return std::nullopt;
    }
    return v->as_int64();
  }
  std::optional<std::optional<int64_t>> clearable_amount(std::string_view name) {
    const json::value* v = take(name);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (v->is_null()) {
      return std::optional<int64_t>();
    }
    if (!v->is_int64()) {
      fail(name, "Expected an integer amount in minor units (cents), or null.");
      return std::nullopt;
    }
    return std::optional<int64_t>(v->as_int64());
  }
  // A nested object (null counts as absent).
  const json::object* object(std::string_view name) {
    const json::value* v = take(name);
    if (v == nullptr || v->is_null()) {
      return nullptr;
    }
    if (!v->is_object()) {
      fail(name, "Expected an object.");
      return nullptr;
    }
    return &v->as_object();
  }

  void require(std::string_view name, bool given) {
    if (!given) {
      fail(name, "Required.");
    }
  }
  void fail(std::string_view name, std::string message) {
    errors_.push_back({prefix_ + std::string(name), std::move(message)});
  }
  // Takes over the errors of a reader of a nested object, once it has read all it knows.
  void absorb(MemberReader&& nested) {
    nested.check_unknown();
    errors_.insert(errors_.end(), nested.errors_.begin(), nested.errors_.end());
  }

  Result<void> finish() {
    check_unknown();
    if (!errors_.empty()) {
      return Error::invalid("Some fields are missing or invalid.", std::move(errors_));
    }
    return {};
  }

 private:
  const json::value* take(std::string_view name) {
    read_.emplace_back(name);
    return body_.if_contains(name);
  }
  std::optional<std::string> string_of(const json::value& v, std::string_view name,
                                       size_t max_bytes) {
    if (!v.is_string()) {
      fail(name, "Expected a string.");
      return std::nullopt;
    }
    if (v.as_string().size() > max_bytes) {
      fail(name, "Too long.");
      return std::nullopt;
    }
    return std::string(v.as_string());
  }
  void check_unknown() {
    for (const auto& [key, v] : body_) {
      if (std::find(read_.begin(), read_.end(), std::string_view(key)) == read_.end()) {
        fail(key, "Unknown field.");
      }
    }
  }

  const json::object& body_;
  std::string prefix_;
  std::vector<std::string> read_;
  std::vector<FieldError> errors_;
};

json::value opt(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

}  // namespace

Result<app::NewParticipant> new_participant_of(const json::object& body) {
  MemberReader r(body);
  app::NewParticipant cmd;
  cmd.user_id = r.text("user_id", 64);
  if (const json::object* company = r.object("company")) {
    MemberReader c(*company, "company.");
    domain::Company co;
    auto name = c.text("name");
    c.require("name", name.has_value());
    co.name = name.value_or("");
    co.email = c.clearable_text("email").value_or(std::nullopt);
    co.phone = c.clearable_text("phone").value_or(std::nullopt);
    co.siret = c.clearable_text("siret").value_or(std::nullopt);
    r.absorb(std::move(c));
    cmd.company = std::move(co);
  }
  if (cmd.user_id && cmd.company) {
    r.fail("company", "Give either user_id (a user of your organisation) or company, not both.");
  } else if (!cmd.user_id && !cmd.company && !body.contains("user_id") &&
             !body.contains("company")) {
    r.fail("user_id", "Give either user_id (a user of your organisation) or company.");
  }
  auto role = r.text("role", 32);
  r.require("role", role.has_value());
  cmd.role = role.value_or("");
  cmd.trade = r.clearable_text("trade").value_or(std::nullopt);
  if (auto ok = r.finish(); !ok) {
    return std::move(ok).error();
  }
  return cmd;
}

Result<app::ParticipantPatch> participant_patch_of(const json::object& body) {
  MemberReader r(body);
  app::ParticipantPatch patch;
  patch.role = r.text("role", 32);
  patch.trade = r.clearable_text("trade");
  if (auto ok = r.finish(); !ok) {
    return std::move(ok).error();
  }
  return patch;
}

namespace {

app::LotPatch read_lot(MemberReader& r) {
  app::LotPatch patch;
  patch.code = r.text("code");
  patch.name = r.text("name");
  patch.trade = r.clearable_text("trade");
  patch.budget_minor = r.clearable_amount("budget_minor");
  patch.currency = r.text("currency");
  patch.position = r.integer("position");
  return patch;
}

app::MilestonePatch read_milestone(MemberReader& r) {
  app::MilestonePatch patch;
  patch.name = r.text("name");
  patch.due_date = r.text("due_date");
  patch.lot_id = r.clearable_text("lot_id");
  patch.reached_on = r.clearable_text("reached_on");
  // Free text: clearing it leaves it empty.
  if (auto d = r.clearable_text("description", kMaxTextBytes)) {
    patch.description = d->value_or("");
  }
  return patch;
}

}  // namespace

Result<app::NewLot> new_lot_of(const json::object& body) {
  MemberReader r(body);
  app::LotPatch patch = read_lot(r);
  r.require("code", patch.code.has_value());
  r.require("name", patch.name.has_value());
  if (auto ok = r.finish(); !ok) {
    return std::move(ok).error();
  }
  app::NewLot cmd;
  cmd.code = *patch.code;
  cmd.name = *patch.name;
  cmd.trade = patch.trade.value_or(std::nullopt);
  cmd.budget_minor = patch.budget_minor.value_or(std::nullopt);
  cmd.currency = patch.currency;
  cmd.position = patch.position;
  return cmd;
}

Result<app::LotPatch> lot_patch_of(const json::object& body) {
  MemberReader r(body);
  app::LotPatch patch = read_lot(r);
  if (auto ok = r.finish(); !ok) {
    return std::move(ok).error();
  }
  return patch;
}

Result<app::NewMilestone> new_milestone_of(const json::object& body) {
  MemberReader r(body);
  app::MilestonePatch patch = read_milestone(r);
  r.require("name", patch.name.has_value());
  r.require("due_date", patch.due_date.has_value());
  if (auto ok = r.finish(); !ok) {
    return std::move(ok).error();
  }
  app::NewMilestone cmd;
  cmd.name = *patch.name;
  cmd.due_date = *patch.due_date;
  cmd.description = patch.description.value_or("");
  cmd.lot_id = patch.lot_id.value_or(std::nullopt);
  cmd.reached_on = patch.reached_on.value_or(std::nullopt);
  return cmd;
}

Result<app::MilestonePatch> milestone_patch_of(const json::object& body) {
  MemberReader r(body);
  app::MilestonePatch patch = read_milestone(r);
  if (auto ok = r.finish(); !ok) {
    return std::move(ok).error();
  }
  return patch;
}

json::object participant_json(const domain::Participant& p) {
  json::value company = nullptr;
  if (p.company) {
    company = json::object{{"name", p.company->name},
                           {"email", opt(p.company->email)},
                           {"phone", opt(p.company->phone)},
                           {"siret", opt(p.company->siret)}};
  }
  return {{"id", p.id},
          {"project_id", p.project_id},
          {"kind", domain::kind_name(p.kind)},
          {"user_id", opt(p.user_id)},
          {"company", std::move(company)},
          {"role", auth::project_role_name(p.role)},
          {"trade", opt(p.trade)},
          {"version", p.version},
          {"created_at", format_rfc3339(p.created_at)},
          {"updated_at", format_rfc3339(p.updated_at)}};
}

json::object lot_json(const domain::Lot& lot, bool with_budget) {
  json::object o{{"id", lot.id},
                 {"project_id", lot.project_id},
                 {"code", lot.code},
                 {"name", lot.name},
                 {"trade", opt(lot.trade)},
                 {"currency", lot.currency},
                 {"position", lot.position},
                 {"version", lot.version},
                 {"created_at", format_rfc3339(lot.created_at)},
                 {"updated_at", format_rfc3339(lot.updated_at)}};
  if (with_budget) {
    o["budget_minor"] = lot.budget_minor ? json::value(*lot.budget_minor) : json::value(nullptr);
  }
  return o;
}

json::object milestone_json(const domain::Milestone& m) {
  return {{"id", m.id},
          {"project_id", m.project_id},
          {"lot_id", opt(m.lot_id)},
          {"name", m.name},
          {"description", m.description},
          {"due_date", m.due_date},
          {"reached_on", opt(m.reached_on)},
          {"version", m.version},
          {"created_at", format_rfc3339(m.created_at)},
          {"updated_at", format_rfc3339(m.updated_at)}};
}

}  // namespace atelier::projects::adapters
