#include "atelier/core/error.hpp"

namespace atelier {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kInvalid:
      return 422;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kGone:
      return 410;
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kPreconditionRequired:
      return 428;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kTimeout:
      return 504;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view slug(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return "bad-request";
    case ErrorCode::kInvalid:
      return "validation";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kGone:
      return "gone";
    case ErrorCode::kPreconditionFailed:
      return "precondition-failed";
    case ErrorCode::kPreconditionRequired:
      return "precondition-required";
    case ErrorCode::kPayloadTooLarge:
      return "payload-too-large";
    case ErrorCode::kTooManyRequests:
      return "too-many-requests";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace atelier
