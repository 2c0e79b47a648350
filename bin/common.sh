# Shared by bin/kvs-server and bin/kvs-client (sourced, not run). Finds the repository, a JDK
# 17+, the built artifacts (building them on first use), and the JVM flags for that JDK.

kvs_die() {
  echo "$KVS_PROGRAM: $*" >&2
  exit 1
}

# The repository root: the parent of the directory holding the launcher (symlinks resolved).
kvs_root() {
  local source="${BASH_SOURCE[1]}"
  while [ -h "$source" ]; do
    local dir
    dir="$(cd -P "$(dirname "$source")" >/dev/null 2>&1 && pwd)"
    source="$(readlink "$source")"
    [[ "$source" != /* ]] && source="$dir/$source"
  done
  KVS_ROOT="$(cd -P "$(dirname "$source")/.." >/dev/null 2>&1 && pwd)"
}

# Sets KVS_JAVA and KVS_JAVA_MAJOR from JAVA_HOME, else the java on PATH.
kvs_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    KVS_JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    KVS_JAVA="$(command -v java)"
  else
    kvs_die "no Java found: install a JDK 17 or newer, or set JAVA_HOME to one"
  fi
  local home version=""
  home="$(dirname "$(dirname "$(readlink -f "$KVS_JAVA")")")"
  if [ -r "$home/release" ]; then
    version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$home/release")"
  fi
  if [ -z "$version" ]; then
    version="$("$KVS_JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)"
  fi
  KVS_JAVA_MAJOR="${version%%.*}"
  if [ "$KVS_JAVA_MAJOR" = "1" ]; then
    KVS_JAVA_MAJOR="$(echo "$version" | cut -d. -f2)"
  fi
  if ! [ "$KVS_JAVA_MAJOR" -ge 17 ] 2>/dev/null; then
    kvs_die "Java ${version:-of unknown version} at $KVS_JAVA is too old: kvs needs JDK 17 or newer (set JAVA_HOME)"
  fi
}

# Builds the programs if their jars are missing (a fresh clone), with the Maven wrapper.
kvs_ensure_built() {
  KVS_JAR="$KVS_ROOT/kvs-cli/target/kvs-cli.jar"
  KVS_LIB="$KVS_ROOT/kvs-cli/target/lib"
  if [ ! -f "$KVS_JAR" ] || [ ! -d "$KVS_LIB" ]; then
    echo "$KVS_PROGRAM: first run: building kvs (this takes a minute) ..." >&2
    if ! (cd "$KVS_ROOT" && JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$KVS_JAVA")")")" \
          ./mvnw -q -B -DskipTests package -pl kvs-cli -am >&2); then
      kvs_die "build failed; run './mvnw -B package -DskipTests' in $KVS_ROOT to see why"
    fi
  fi
  KVS_CLASSPATH="$KVS_JAR:$KVS_LIB/*"
}

# Arguments and output are UTF-8 whatever the locale, so keys and values round-trip.
kvs_utf8_locale() {
  case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
    *UTF-8*|*utf8*|*UTF8*|*utf-8*) ;;
    *) export LC_ALL=C.UTF-8 ;;
  esac
}
