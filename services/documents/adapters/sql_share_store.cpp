// Share links on SQLite and PostgreSQL.
#include "documents/app/shares.hpp"

namespace atelier::documents::app {

namespace {

constexpr std::string_view kColumns =
    "id, org_id, document_id, token_hash, version, password_hash, expires_at, created_by, "
    "created_at, revoked_at, failed_attempts, locked_until";
constexpr std::string_view kInsert =
    "INSERT INTO document_shares (id, org_id, document_id, token_hash, version, password_hash, "
    "expires_at, created_by, created_at, revoked_at, failed_attempts, locked_until) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
const std::string kOfDocument = "SELECT " + std::string(kColumns) +
                                " FROM document_shares WHERE org_id = $1 AND document_id = $2"
                                " ORDER BY id";
constexpr std::string_view kRevoke =
    "UPDATE document_shares SET revoked_at = $4 WHERE org_id = $1 AND document_id = $2 "
    "AND id = $3 AND revoked_at IS NULL";
const std::string kByTokenHash =
    "SELECT " + std::string(kColumns) + " FROM document_shares WHERE token_hash = $1";
constexpr std::string_view kRecordAttempt =
    "UPDATE document_shares SET failed_attempts = $3, locked_until = $4 "
    "WHERE org_id = $1 AND id = $2";

std::optional<std::string> opt_time(const std::optional<TimePoint>& t) {
  return t ? std::optional<std::string>(format_rfc3339(*t)) : std::nullopt;
}

std::optional<TimePoint> time_of(const std::optional<std::string>& text) {
  return text ? parse_rfc3339(*text) : std::nullopt;
}

Share share_of(const db::Row& row) {
  Share s;
  s.id = row.get_text(0);
  s.org_id = row.get_text(1);
  s.document_id = row.get_text(2);
  s.token_hash = row.get_text(3);
  s.version = row.get_opt_int(4);
  s.password_hash = row.get_opt_text(5);
  s.expires_at = parse_rfc3339(row.get_text(6)).value_or(TimePoint{});
  s.created_by = row.get_opt_text(7);
  s.created_at = parse_rfc3339(row.get_text(8)).value_or(TimePoint{});
  s.revoked_at = time_of(row.get_opt_text(9));
  s.failed_attempts = row.get_int(10);
  s.locked_until = time_of(row.get_opt_text(11));
  return s;
}

class SqlShareStore final : public ShareStore {
 public:
  Result<void> insert(Tx& tx, const Share& s) override {
    auto r =
        tx.execute(kInsert, s.id, s.org_id, s.document_id, s.token_hash, s.version, s.password_hash,
                   format_rfc3339(s.expires_at), s.created_by, format_rfc3339(s.created_at),
                   opt_time(s.revoked_at), s.failed_attempts, opt_time(s.locked_until));
    if (!r) {
      return std::move(r).error();
    }
    return {};
  }

  Result<std::vector<Share>> of_document(Tx& tx, const std::string& org_id,
                                         const std::string& document_id) override {
    auto rows = tx.query(kOfDocument, org_id, document_id);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<Share> out;
    for (const auto& row : *rows) {
      out.push_back(share_of(row));
    }
    return out;
  }

  Result<bool> revoke(Tx& tx, const std::string& org_id, const std::string& document_id,
                      const std::string& share_id, const std::string& at) override {
    auto r = tx.execute(kRevoke, org_id, document_id, share_id, at);
    if (!r) {
      return std::move(r).error();
    }
    return *r > 0;
  }

  Result<std::optional<Share>> by_token_hash(Tx& tx, const std::string& token_hash) override {
    auto rows = tx.query(kByTokenHash, token_hash);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return std::optional<Share>();
    }
    return std::optional<Share>(share_of((*rows)[0]));
  }

  Result<void> record_attempt(Tx& tx, const Share& s) override {
    auto r =
        tx.execute(kRecordAttempt, s.org_id, s.id, s.failed_attempts, opt_time(s.locked_until));
    if (!r) {
      return std::move(r).error();
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<ShareStore> make_sql_share_store() {
  return std::make_unique<SqlShareStore>();
}

}  // namespace atelier::documents::app
