// The JSON of a document and of a version, as the API returns them and the events carry them.
#pragma once

#include <boost/json/object.hpp>

#include "documents/app/model.hpp"

namespace atelier::documents::app {

boost::json::object document_json(const Document& d);
boost::json::object version_json(const Version& v);

}  // namespace atelier::documents::app
