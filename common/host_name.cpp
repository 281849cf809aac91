#include "common/host_name.h"

#include <boost/asio/ip/host_name.hpp>

namespace smbreaper::common {

std::string host_name() {
    boost::system::error_code error;
    std::string name = boost::asio::ip::host_name(error);
    return error || name.empty() ? "localhost" : name;
}

}  // namespace smbreaper::common
