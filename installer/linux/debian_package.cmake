# The Debian package (scripts/package runs CPack with it): the files `cmake --install` puts in
# place, under /usr, plus the maintainer scripts in debian/.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME smbreaper)
# `smbreaper --version` prints PROJECT_VERSION too (service/version.h.in): the two always agree.
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "reaps idle SMB sessions of a Samba server by policy, with an audit trail")
# The long description; CPack puts the summary above it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "smbreaper reads the Samba server's session table on a timer, evaluates the rules of
a YAML policy (idle time, age, user, client, dialect, open files, time of day), closes
the sessions a rule selects, and records every closure in a tamper-evident SQLite
audit trail. The shipped policy is in audit mode: it records what it would close and
closes nothing until the administrator switches it to enforce.")
set(SMBREAPER_PACKAGE_MAINTAINER "smbreaper maintainers <root@localhost>"
    CACHE STRING "The Maintainer field of the Debian package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${SMBREAPER_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)

# The libraries the binary links, found by dpkg-shlibdeps. Samba is only recommended: the
# package installs (and `check`, `simulate`, `audit` work) without it, and an admin may run a
# Samba built elsewhere; the service says at start and every cycle when smbd is not there.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS samba)
set(CPACK_STRIP_FILES ON)

# Installed into a staging folder through DESTDIR, with the real prefix: the unit's ExecStart is
# written at install time and must name /usr/sbin, not the staging folder.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)

set(debian_dir ${CMAKE_CURRENT_SOURCE_DIR}/debian)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${debian_dir}/conffiles ${debian_dir}/postinst ${debian_dir}/prerm ${debian_dir}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

include(CPack)
