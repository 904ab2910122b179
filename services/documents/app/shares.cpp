#include "documents/app/shares.hpp"

#include "atelier/auth/secrets.hpp"
#include "atelier/core/uuid.hpp"

namespace atelier::documents::app {

using auth::ProjectAction;

namespace {

Error no_such_link() {
  return Error::not_found("This link does not exist or was revoked.");
}

}  // namespace

Result<CreatedShare> Shares::create(const Principal& caller, const std::string& document_id,
                                    const NewShare& share) {
  auto doc = documents_.document_for(caller, document_id, ProjectAction::kDocumentsWrite);
  if (!doc) {
    return std::move(doc).error();
  }
  const TimePoint now = documents_.clock().now();
  std::vector<FieldError> errors;
  TimePoint expires_at;
  if (share.expires_in_seconds && share.expires_at) {
    errors.push_back({"expires_at", "Give expires_in or expires_at, not both."});
  } else if (share.expires_in_seconds) {
    if (*share.expires_in_seconds < 60 ||
        *share.expires_in_seconds >
            std::chrono::duration_cast<std::chrono::seconds>(kMaxLifetime).count()) {
      errors.push_back({"expires_in", "From 60 seconds to 30 days (2592000)."});
    }
    expires_at = now + std::chrono::seconds(*share.expires_in_seconds);
  } else if (share.expires_at) {
    expires_at = *share.expires_at;
    if (expires_at <= now || expires_at - now > kMaxLifetime) {
      errors.push_back({"expires_at", "A time in the next 30 days."});
    }
  } else {
    errors.push_back({"expires_in", "Say how long the link lives: expires_in or expires_at."});
  }
  if (share.password && (share.password->empty() || share.password->size() > 256)) {
    errors.push_back({"password", "1 to 256 bytes."});
  }
  if (share.version && (*share.version < 1 || *share.version > doc->version)) {
    errors.push_back({"version", "A version of this document."});
  }
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  CreatedShare created;
  created.token = auth::random_token(32);
  Share& s = created.share;
  s.id = Uuid::v7(documents_.clock()).str();
  s.org_id = caller.org_id;
  s.document_id = document_id;
  s.token_hash = auth::token_hash(created.token);
  s.version = share.version;
  if (share.password) {
    auto hashed = auth::hash_password(*share.password, params_);
    if (!hashed) {
      return std::move(hashed).error();
    }
    s.password_hash = std::move(hashed).value();
  }
  s.expires_at = expires_at;
  s.created_by = caller.kind == Principal::Kind::kUser ? std::optional<std::string>(caller.subject)
                                                       : std::nullopt;
  s.created_at = now;
  auto written = db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
                              [&](db::Transaction& tx) { return store_.insert(tx, s); });
  if (!written) {
    return std::move(written).error();
  }
  return created;
}

Result<std::vector<Share>> Shares::list(const Principal& caller, const std::string& document_id) {
  auto doc = documents_.document_for(caller, document_id, ProjectAction::kDocumentsWrite);
  if (!doc) {
    return std::move(doc).error();
  }
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
      [&](db::Transaction& tx) { return store_.of_document(tx, caller.org_id, document_id); });
}

Result<void> Shares::revoke(const Principal& caller, const std::string& document_id,
                            const std::string& share_id) {
  auto doc = documents_.document_for(caller, document_id, ProjectAction::kDocumentsWrite);
  if (!doc) {
    return std::move(doc).error();
  }
  auto revoked = db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
                              [&](db::Transaction& tx) {
                                return store_.revoke(tx, caller.org_id, document_id, share_id,
                                                     format_rfc3339(documents_.clock().now()));
                              });
  if (!revoked) {
    return std::move(revoked).error();
  }
  if (!*revoked) {
    return no_such_link();
  }
  return {};
}

Result<Content> Shares::open(const std::string& token, const std::optional<std::string>& password) {
  if (token.empty() || token.size() > 64) {
    return no_such_link();
  }
  auto found = db_.transact(
      db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) { return store_.by_token_hash(tx, auth::token_hash(token)); });
  if (!found) {
    return std::move(found).error();
  }
  if (!found->has_value() || (*found)->revoked_at) {
    return no_such_link();
  }
  Share s = std::move(**found);
  const TimePoint now = documents_.clock().now();
  if (now >= s.expires_at) {
    return Error{ErrorCode::kGone, "This link has expired.", {}, {}};
  }
  if (s.password_hash) {
    if (s.locked_until && now < *s.locked_until) {
      Error error{ErrorCode::kTooManyRequests,
                  "Too many wrong passwords for this link; wait a few minutes.",
                  {},
                  {}};
      error.retry_after = std::chrono::duration_cast<std::chrono::seconds>(*s.locked_until - now) +
                          std::chrono::seconds(1);
      return error;
    }
    if (!password) {
      return Error{ErrorCode::kUnauthenticated, "This link needs its password.", {}, {}};
    }
    if (!auth::verify_password(*password, *s.password_hash)) {
      s.failed_attempts += 1;
      if (s.failed_attempts >= kMaxAttempts) {
        s.failed_attempts = 0;
        s.locked_until = now + kLockout;
      }
      auto recorded =
          db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = s.org_id},
                       [&](db::Transaction& tx) { return store_.record_attempt(tx, s); });
      if (!recorded) {
        return std::move(recorded).error();
      }
      return Error{ErrorCode::kUnauthenticated, "Wrong password for this link.", {}, {}};
    }
    if (s.failed_attempts > 0 || s.locked_until) {
      s.failed_attempts = 0;
      s.locked_until.reset();
      (void)db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = s.org_id},
                         [&](db::Transaction& tx) { return store_.record_attempt(tx, s); });
    }
  }
  auto content = documents_.shared_content(s.org_id, s.document_id, s.version);
  if (!content && content.error().code == ErrorCode::kNotFound) {
    return no_such_link();  // the document was deleted since
  }
  return content;
}

}  // namespace atelier::documents::app
