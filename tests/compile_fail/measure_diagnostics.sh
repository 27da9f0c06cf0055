#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
#
# How long, and how useful, the compiler's diagnostics are for every compile-fail test.
# For each tests/compile_fail/**/*.cpp and each compiler (g++ 12, clang++ 14) it compiles the
# file as it stands (the mistake) with `-std=c++20 -fsyntax-only -march=native`, then reports
#  - the number of lines of compiler output, and
#  - whether the FIRST line with "error:" carries the fitcheck sentence: the leading part of
#    one of the file's `// expected-error:` regexes (up to its first `.*`) matches that line.
#    (clang's "static_assert failed due to requirement '...' \"<message>\"" carries it: the
#    message is on the same line.)
# Prints a markdown table on stdout. Options (environment):
#   GXX=g++-12 CLANGXX=clang++-14   the compilers
#   JOBS=2                          compilations in parallel
#   KEEP=dir                        also keep each compiler output there (<area>_<case>.<cc>.txt)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
GXX=${GXX:-g++-12}
CLANGXX=${CLANGXX:-clang++-14}
JOBS=${JOBS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Extra include directories the headers need besides include/ (xtensor, xtl, xsimd are system
# packages on the CI machines; pass more with EXTRA_FLAGS="-I...").
flags=(-std=c++20 -fsyntax-only -march=native -I"$root/include" ${EXTRA_FLAGS:-})

# measure <compiler> <file>: writes "<lines> <yes|no>" to $work/<key>.<tag>
measure() {
  local cc=$1 file=$2 tag=$3 key out first lead
  key=$(realpath --relative-to="$root/tests/compile_fail" "$file" | tr '/' '_')
  out="$work/$key.$tag.txt"
  local extra=()
  # The GPU backend's cases compile as its host suite does: Thrust's CPU system.
  if [[ $key == gpu_* ]]; then
    extra=(-DFITCHECK_GPU_BACKEND=1 -DTHRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_CPP)
    [[ -d /usr/local/cuda/include ]] && extra+=(-I/usr/local/cuda/include)
  fi
  "$cc" "${flags[@]}" "${extra[@]}" -fno-diagnostics-color "$file" >"$out" 2>&1 || true
  # The sentence: an expected-error regex up to its first ".*" (CMake regexes; the escapes
  # they use, \( \) \{ \} \. \| \[, mean the same in POSIX ERE). Any of the file's
  # expected-error lines counts, so a file whose first regex names a function still qualifies.
  first=$(grep -m1 'error:' "$out" || true)
  local has=no
  while IFS= read -r lead; do
    if [[ -n "$first" ]] && grep -qE -- "$lead" <<<"$first" 2>/dev/null; then has=yes; fi
  done < <(grep '// expected-error: ' "$file" | sed 's|.*// expected-error: ||; s|\.\*.*||')
  if [[ -z "$first" ]]; then has="no (compiled!)"; fi
  echo "$(wc -l <"$out") $has" >"$work/$key.$tag"
  if [[ -n "${KEEP:-}" ]]; then mkdir -p "$KEEP" && cp "$out" "$KEEP/$key.$tag.txt"; fi
}
export -f measure
export root work
export FLAGS_STR="${flags[*]}"

mapfile -t files < <(find "$root/tests/compile_fail" -name '*.cpp' | sort)
{
  for f in "${files[@]}"; do
    printf '%s\0%s\0%s\0' "$GXX" "$f" gxx
    printf '%s\0%s\0%s\0' "$CLANGXX" "$f" clang
  done
} | xargs -0 -n3 -P"$JOBS" bash -c 'flags=($FLAGS_STR); measure "$@"' _

echo "| file | g++ lines | g++ first error has the sentence | clang lines | clang first error has the sentence |"
echo "|---|---:|---|---:|---|"
for f in "${files[@]}"; do
  key=$(realpath --relative-to="$root/tests/compile_fail" "$f" | tr '/' '_')
  read -r gl gh <"$work/$key.gxx"
  read -r cl ch <"$work/$key.clang"
  echo "| $(realpath --relative-to="$root/tests/compile_fail" "$f") | $gl | $gh | $cl | $ch |"
done
