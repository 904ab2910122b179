#include "documents/adapters/sql_store.hpp"

#include <boost/json.hpp>

#include "atelier/db/rows.hpp"

namespace atelier::documents::adapters {

namespace {

using db::done;

namespace json = boost::json;
using app::Document;
using app::Tx;
using app::Version;

constexpr std::string_view kDocumentColumns =
    "id, org_id, name, project_id, task_id, folder, tags, current_version, size, sha256, "
    "content_type, ocr_status, row_version, created_by, created_at, updated_at, deleted_at";

const std::string kFind =
    "SELECT " + std::string(kDocumentColumns) + " FROM documents WHERE org_id = $1 AND id = $2";
constexpr std::string_view kInsert =
    "INSERT INTO documents (id, org_id, name, project_id, task_id, folder, tags, current_version, "
    "size, sha256, content_type, ocr_status, row_version, created_by, created_at, updated_at, "
    "deleted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
    "$17)";
constexpr std::string_view kUpdate =
    "UPDATE documents SET name = $3, project_id = $4, task_id = $5, folder = $6, tags = $7, "
    "current_version = $8, size = $9, sha256 = $10, content_type = $11, ocr_status = $12, "
    "row_version = $13, updated_at = $14, deleted_at = $15 "
    "WHERE org_id = $1 AND id = $2 AND row_version = $16";
constexpr std::string_view kDeleteTags =
    "DELETE FROM document_tags WHERE org_id = $1 AND document_id = $2";
constexpr std::string_view kInsertTag =
    "INSERT INTO document_tags (document_id, org_id, tag) VALUES ($1, $2, $3)";
// Filters are optional parameters: NULL means "any". Names match case-insensitively on a
// substring, with LIKE's wildcards escaped by the caller.
const std::string kList =
    "SELECT " + std::string(kDocumentColumns) +
    " FROM documents WHERE org_id = $1 AND deleted_at IS NULL"
    " AND ($2 = 1 OR (project_id IS NOT NULL AND project_id IN"
    "      (SELECT project_id FROM project_roles WHERE org_id = $1 AND user_id = $3)))"
    " AND (CAST($4 AS TEXT) IS NULL OR project_id = $4)"
    " AND (CAST($5 AS TEXT) IS NULL OR folder = $5)"
    " AND (CAST($6 AS TEXT) IS NULL OR id IN"
    "      (SELECT document_id FROM document_tags WHERE org_id = $1 AND tag = $6))"
    " AND (CAST($7 AS TEXT) IS NULL OR LOWER(name) LIKE '%' || LOWER($7) || '%' ESCAPE '\\')"
    " AND id > $8 ORDER BY id LIMIT $9";

constexpr std::string_view kVersionColumns =
    "document_id, org_id, number, name, size, sha256, content_type, created_by, created_at";
constexpr std::string_view kInsertVersion =
    "INSERT INTO document_versions (document_id, org_id, number, name, size, sha256, "
    "content_type, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const std::string kVersions = "SELECT " + std::string(kVersionColumns) +
                              " FROM document_versions WHERE org_id = $1 AND document_id = $2"
                              " ORDER BY number";
const std::string kFindVersion = "SELECT " + std::string(kVersionColumns) +
                                 " FROM document_versions WHERE org_id = $1 AND document_id = $2"
                                 " AND number = $3";
constexpr std::string_view kUsage =
    "SELECT COALESCE(SUM(size), 0) FROM document_versions WHERE org_id = $1";

const std::string kDeletedBefore = "SELECT " + std::string(kDocumentColumns) +
                                   " FROM documents WHERE deleted_at IS NOT NULL"
                                   " AND deleted_at < $1 ORDER BY deleted_at LIMIT $2";
constexpr std::string_view kBlobsOf =
    "SELECT DISTINCT sha256 FROM document_versions WHERE org_id = $1 AND document_id = $2";
constexpr std::string_view kEraseVersions =
    "DELETE FROM document_versions WHERE org_id = $1 AND document_id = $2";
constexpr std::string_view kEraseDocument = "DELETE FROM documents WHERE org_id = $1 AND id = $2";
// The purge takes a document's OCR rows with it.
constexpr std::string_view kEraseOcr[] = {
    "DELETE FROM ocr_jobs WHERE org_id = $1 AND document_id = $2",
    "DELETE FROM ocr_pages WHERE org_id = $1 AND document_id = $2",
    "DELETE FROM document_entities WHERE org_id = $1 AND document_id = $2",
};
constexpr std::string_view kBlobReferenced =
    "SELECT COUNT(*) FROM document_versions WHERE sha256 = $1";

constexpr std::string_view kProjectKnown =
    "SELECT COUNT(*) FROM projects WHERE org_id = $1 AND id = $2";
constexpr std::string_view kUpsertProject =
    "INSERT INTO projects (id, org_id, created_by) VALUES ($1, $2, $3) "
    "ON CONFLICT (id) DO NOTHING";
constexpr std::string_view kUpsertRole =
    "INSERT INTO project_roles (project_id, participant_id, org_id, user_id, role) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id, participant_id) "
    "DO UPDATE SET user_id = excluded.user_id, role = excluded.role";
constexpr std::string_view kRemoveRole =
    "DELETE FROM project_roles WHERE org_id = $1 AND project_id = $2 AND participant_id = $3";
constexpr std::string_view kRemoveCreatorRole =
    "DELETE FROM project_roles WHERE org_id = $1 AND project_id = $2 AND participant_id = "
    "'creator' AND user_id = $3";
constexpr std::string_view kRolesOf =
    "SELECT role FROM project_roles WHERE org_id = $1 AND project_id = $2 AND user_id = $3";

// Search. SQLite: FTS5 with snippet(); PostgreSQL: tsvector in French and English with
// ts_headline(). Both fold accents ("beton" finds "béton" and the other way round): on
// PostgreSQL through the documents_french and documents_english configurations of migration
// 0008, which the query and the headline use as the vector does. Both keep the caller's read
// scope as the list does.
constexpr std::string_view kUnindex =
    "DELETE FROM document_search WHERE org_id = $1 AND document_id = $2";
constexpr std::string_view kIndex =
    "INSERT INTO document_search (document_id, org_id, name, body) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kIndexedBody =
    "SELECT body FROM document_search WHERE org_id = $1 AND document_id = $2";
constexpr std::string_view kScope =
    " AND d.deleted_at IS NULL AND ($3 = 1 OR (d.project_id IS NOT NULL AND d.project_id IN"
    " (SELECT project_id FROM project_roles WHERE org_id = $1 AND user_id = $4)))";
const std::string kSearchSqlite =
    "SELECT d.id, d.org_id, d.name, d.project_id, d.task_id, d.folder, d.tags, "
    "d.current_version, d.size, d.sha256, d.content_type, d.ocr_status, d.row_version, "
    "d.created_by, d.created_at, d.updated_at, d.deleted_at, "
    "snippet(document_search, -1, '<mark>', '</mark>', '…', 16) AS snippet "
    "FROM document_search JOIN documents d ON d.id = document_search.document_id "
    "WHERE document_search MATCH $2 AND document_search.org_id = $1 AND d.org_id = $1" +
    std::string(kScope) + " ORDER BY bm25(document_search), d.id LIMIT $5 OFFSET $6";
const std::string kSearchPostgres =
    "SELECT d.id, d.org_id, d.name, d.project_id, d.task_id, d.folder, d.tags, "
    "d.current_version, d.size, d.sha256, d.content_type, d.ocr_status, d.row_version, "
    "d.created_by, d.created_at, d.updated_at, d.deleted_at, "
    "ts_headline('documents_french', s.name || ' — ' || s.body, query, "
    "'StartSel=<mark>, StopSel=</mark>, MaxWords=24, MinWords=8, MaxFragments=2, "
    "FragmentDelimiter=…') AS snippet "
    "FROM document_search s JOIN documents d ON d.id = s.document_id, "
    "(SELECT websearch_to_tsquery('documents_french', $2) || "
    "websearch_to_tsquery('documents_english', $2)) "
    "AS input(query) "
    "WHERE s.org_id = $1 AND d.org_id = $1 AND s.search @@ query" +
    std::string(kScope) + " ORDER BY ts_rank(s.search, query) DESC, d.id LIMIT $5 OFFSET $6";

// The words of a query as an FTS5 expression: each word quoted (so no operator or column filter
// of FTS5 syntax reaches MATCH) and a prefix, all required.
std::string fts5_query(const std::string& q) {
  std::string out;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) {
      if (!out.empty()) {
        out += ' ';
      }
      out += '"' + word + "\"*";
      word.clear();
    }
  };
  for (char c : q) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      flush();
    } else if (c == '"') {
      word += "\"\"";
    } else {
      word += c;
    }
  }
  flush();
  return out;
}

std::string tags_text(const std::vector<std::string>& tags) {
  json::array a;
  for (const auto& t : tags) {
    a.emplace_back(t);
  }
  return json::serialize(a);
}

std::vector<std::string> tags_of(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  const auto v = json::parse(text, ec);
  if (!ec && v.is_array()) {
    for (const auto& t : v.as_array()) {
      if (t.is_string()) {
        out.emplace_back(t.as_string());
      }
    }
  }
  return out;
}

TimePoint time_of(const std::string& text) {
  return parse_rfc3339(text).value_or(TimePoint{});
}

Document document_of(const db::Row& row) {
  Document d;
  d.id = row.get_text(0);
  d.org_id = row.get_text(1);
  d.name = row.get_text(2);
  d.project_id = row.get_opt_text(3);
  d.task_id = row.get_opt_text(4);
  d.folder = row.get_text(5);
  d.tags = tags_of(row.get_text(6));
  d.version = row.get_int(7);
  d.size = static_cast<uint64_t>(row.get_int(8));
  d.sha256 = row.get_text(9);
  d.content_type = row.get_text(10);
  d.ocr_status = row.get_text(11);
  d.row_version = row.get_int(12);
  d.created_by = row.get_opt_text(13);
  d.created_at = time_of(row.get_text(14));
  d.updated_at = time_of(row.get_text(15));
  if (auto deleted = row.get_opt_text(16)) {
    d.deleted_at = time_of(*deleted);
  }
  return d;
}

Version version_of(const db::Row& row) {
  Version v;
  v.document_id = row.get_text(0);
  v.org_id = row.get_text(1);
  v.number = row.get_int(2);
  v.name = row.get_text(3);
  v.size = static_cast<uint64_t>(row.get_int(4));
  v.sha256 = row.get_text(5);
  v.content_type = row.get_text(6);
  v.created_by = row.get_opt_text(7);
  v.created_at = time_of(row.get_text(8));
  return v;
}

std::optional<std::string> opt_time(const std::optional<TimePoint>& t) {
  return t ? std::optional<std::string>(format_rfc3339(*t)) : std::nullopt;
}

std::string like_pattern(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

class SqlStore final : public app::DocumentStore {
 public:
  Result<std::optional<Document>> find(Tx& tx, const std::string& org_id,
                                       const std::string& id) override {
    auto rows = tx.query(kFind, org_id, id);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return std::optional<Document>();
    }
    return std::optional<Document>(document_of((*rows)[0]));
  }

  Result<void> insert(Tx& tx, const Document& d) override {
    if (auto r = done(tx.execute(kInsert, d.id, d.org_id, d.name, d.project_id, d.task_id, d.folder,
                                 tags_text(d.tags), d.version, static_cast<int64_t>(d.size),
                                 d.sha256, d.content_type, d.ocr_status, d.row_version,
                                 d.created_by, format_rfc3339(d.created_at),
                                 format_rfc3339(d.updated_at), opt_time(d.deleted_at)));
        !r) {
      return r;
    }
    return write_tags(tx, d);
  }

  Result<bool> update(Tx& tx, const Document& d, int64_t expected_row_version) override {
    auto changed = tx.execute(
        kUpdate, d.org_id, d.id, d.name, d.project_id, d.task_id, d.folder, tags_text(d.tags),
        d.version, static_cast<int64_t>(d.size), d.sha256, d.content_type, d.ocr_status,
        d.row_version, format_rfc3339(d.updated_at), opt_time(d.deleted_at), expected_row_version);
    if (!changed) {
      return std::move(changed).error();
    }
    if (*changed == 0) {
      return false;
    }
    if (auto r = done(tx.execute(kDeleteTags, d.org_id, d.id)); !r) {
      return std::move(r).error();
    }
    if (auto r = write_tags(tx, d); !r) {
      return std::move(r).error();
    }
    return true;
  }

  Result<std::vector<Document>> list(Tx& tx, const std::string& org_id, const app::ListQuery& query,
                                     const app::ReadScope& scope) override {
    const std::optional<std::string> q =
        query.q ? std::optional<std::string>(like_pattern(*query.q)) : std::nullopt;
    auto rows = tx.query(kList, org_id, scope.whole_org, scope.user_id, query.project_id,
                         query.folder, query.tag, q, query.cursor, query.limit);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<Document> out;
    for (const auto& row : *rows) {
      out.push_back(document_of(row));
    }
    return out;
  }

  Result<void> index(Tx& tx, const std::string& org_id, const std::string& document_id,
                     const std::string& name, const std::string& body) override {
    if (auto r = done(tx.execute(kUnindex, org_id, document_id)); !r) {
      return r;
    }
    return done(tx.execute(kIndex, document_id, org_id, name, body));
  }

  Result<void> index_name(Tx& tx, const std::string& org_id, const std::string& document_id,
                          const std::string& name) override {
    auto rows = tx.query(kIndexedBody, org_id, document_id);
    if (!rows) {
      return std::move(rows).error();
    }
    return index(tx, org_id, document_id, name, rows->empty() ? "" : (*rows)[0].get_text(0));
  }

  Result<std::vector<app::SearchHit>> search(Tx& tx, const std::string& org_id,
                                             const std::string& q, const app::ReadScope& scope,
                                             int offset, int limit) override {
    const bool sqlite = tx.kind() == db::Kind::kSqlite;
    const std::string query = sqlite ? fts5_query(q) : q;
    if (query.empty()) {
      return std::vector<app::SearchHit>();
    }
    auto rows = tx.query(sqlite ? kSearchSqlite : kSearchPostgres, org_id, query, scope.whole_org,
                         scope.user_id, limit, offset);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<app::SearchHit> out;
    for (const auto& row : *rows) {
      out.push_back({document_of(row), row.get_opt_text(17).value_or("")});
    }
    return out;
  }

  Result<void> insert_version(Tx& tx, const Version& v) override {
    return done(tx.execute(kInsertVersion, v.document_id, v.org_id, v.number, v.name,
                           static_cast<int64_t>(v.size), v.sha256, v.content_type, v.created_by,
                           format_rfc3339(v.created_at)));
  }

  Result<std::vector<Version>> versions(Tx& tx, const std::string& org_id,
                                        const std::string& document_id) override {
    auto rows = tx.query(kVersions, org_id, document_id);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<Version> out;
    for (const auto& row : *rows) {
      out.push_back(version_of(row));
    }
    return out;
  }

  Result<std::optional<Version>> find_version(Tx& tx, const std::string& org_id,
                                              const std::string& document_id,
                                              int64_t number) override {
    auto rows = tx.query(kFindVersion, org_id, document_id, number);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return std::optional<Version>();
    }
    return std::optional<Version>(version_of((*rows)[0]));
  }

  Result<uint64_t> usage(Tx& tx, const std::string& org_id) override {
    auto rows = tx.query(kUsage, org_id);
    if (!rows) {
      return std::move(rows).error();
    }
    return static_cast<uint64_t>((*rows)[0].get_int(0));
  }

  Result<std::vector<Document>> deleted_before(Tx& tx, const std::string& cutoff,
                                               int limit) override {
    auto rows = tx.query(kDeletedBefore, cutoff, limit);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<Document> out;
    for (const auto& row : *rows) {
      out.push_back(document_of(row));
    }
    return out;
  }

  Result<std::vector<std::string>> blobs_of(Tx& tx, const std::string& org_id,
                                            const std::string& document_id) override {
    auto rows = tx.query(kBlobsOf, org_id, document_id);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<std::string> out;
    for (const auto& row : *rows) {
      out.push_back(row.get_text(0));
    }
    return out;
  }

  Result<void> erase(Tx& tx, const std::string& org_id, const std::string& document_id) override {
    if (auto r = done(tx.execute(kUnindex, org_id, document_id)); !r) {
      return r;
    }
    for (const auto sql : kEraseOcr) {
      if (auto r = done(tx.execute(sql, org_id, document_id)); !r) {
        return r;
      }
    }
    if (auto r = done(tx.execute(kDeleteTags, org_id, document_id)); !r) {
      return r;
    }
    if (auto r = done(tx.execute(kEraseVersions, org_id, document_id)); !r) {
      return r;
    }
    return done(tx.execute(kEraseDocument, org_id, document_id));
  }

  Result<bool> blob_referenced(Tx& tx, const std::string& sha256) override {
    auto rows = tx.query(kBlobReferenced, sha256);
    if (!rows) {
      return std::move(rows).error();
    }
    return (*rows)[0].get_int(0) > 0;
  }

  Result<bool> project_known(Tx& tx, const std::string& org_id,
                             const std::string& project_id) override {
    auto rows = tx.query(kProjectKnown, org_id, project_id);
    if (!rows) {
      return std::move(rows).error();
    }
    return (*rows)[0].get_int(0) > 0;
  }

  Result<void> upsert_project(Tx& tx, const std::string& org_id, const std::string& project_id,
                              const std::optional<std::string>& created_by) override {
    return done(tx.execute(kUpsertProject, project_id, org_id, created_by));
  }

  Result<void> upsert_role(Tx& tx, const std::string& org_id, const std::string& project_id,
                           const std::string& participant_id,
                           const std::optional<std::string>& user_id,
                           auth::ProjectRole role) override {
    return done(tx.execute(kUpsertRole, project_id, participant_id, org_id, user_id,
                           auth::project_role_name(role)));
  }

  Result<void> remove_role(Tx& tx, const std::string& org_id, const std::string& project_id,
                           const std::string& participant_id) override {
    return done(tx.execute(kRemoveRole, org_id, project_id, participant_id));
  }

  Result<void> remove_creator_role(Tx& tx, const std::string& org_id, const std::string& project_id,
                                   const std::string& user_id) override {
    return done(tx.execute(kRemoveCreatorRole, org_id, project_id, user_id));
  }

  Result<std::optional<auth::ProjectRole>> role_of(Tx& tx, const std::string& org_id,
                                                   const std::string& project_id,
                                                   const std::string& user_id) override {
    auto rows = tx.query(kRolesOf, org_id, project_id, user_id);
    if (!rows) {
      return std::move(rows).error();
    }
    std::optional<auth::ProjectRole> best;
    for (const auto& row : *rows) {
      auto role = auth::parse_project_role(row.get_text(0));
      if (role && (!best || *role > *best)) {
        best = role;
      }
    }
    return best;
  }

 private:
  Result<void> write_tags(Tx& tx, const Document& d) {
    for (const auto& tag : d.tags) {
      if (auto r = done(tx.execute(kInsertTag, d.id, d.org_id, tag)); !r) {
        return r;
      }
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<app::DocumentStore> make_sql_store() {
  return std::make_unique<SqlStore>();
}

}  // namespace atelier::documents::adapters
