// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of io/atomic_file.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/io/atomic_file.hpp>

namespace fitcheck::io {

FITCHECK_IMPL std::string temp_path_for(const std::string& path) {
  return path + ".tmp." + std::to_string(static_cast<long long>(::getpid()));
}

FITCHECK_IMPL void write_file_atomically(const std::string& path,
                                         std::span<const std::byte> bytes) {
  atomic_writer w(path);
  w.write(bytes);
  w.commit();
}

}  // namespace fitcheck::io

namespace fitcheck::io::detail {

FITCHECK_IMPL std::string parent_dir(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

FITCHECK_IMPL void remove_stale_temps(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const std::string prefix = (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp.";
  DIR* dir = ::opendir(parent_dir(path).c_str());
  if (dir == nullptr) return;
  const std::string base = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  while (const ::dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (!name.starts_with(prefix) || name.size() == prefix.size()) continue;
    long long pid = 0;
    bool digits = true;
    for (const char c : name.substr(prefix.size())) {
      digits = digits && c >= '0' && c <= '9' && pid < (1LL << 40);
      pid = pid * 10 + (c - '0');
    }
    if (!digits || pid <= 0 || pid == ::getpid() || pid > std::numeric_limits<::pid_t>::max())
      continue;
    if (::kill(static_cast<::pid_t>(pid), 0) != 0 && errno == ESRCH)
      ::unlink((base + std::string(name)).c_str());
  }
  ::closedir(dir);
}

}  // namespace fitcheck::io::detail
