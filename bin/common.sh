# shellcheck shell=bash disable=SC2034  # the KVS_* variables set here are read by the launchers
# Shared by the launchers in bin/ (sourced, not run; they set KVS_ROOT). Finds a JDK 17+, the built
# artifacts (building them on first use), and the JVM flags the storage engine needs on that JDK.
# Written with shell builtins where it can: every forked command costs the client start-up time.

kvs_die() {
  echo "$KVS_PROGRAM: $*" >&2
  exit 1
}

# KVS_JAVA, KVS_JAVA_HOME and KVS_JAVA_MAJOR: from JAVA_HOME, else the java on PATH.
kvs_find_java() {
  local java
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    java="$JAVA_HOME/bin/java"
  elif hash java 2>/dev/null; then
    java="${BASH_CMDS[java]}"
  else
    kvs_die "no Java found: install a JDK 17 or newer, or set JAVA_HOME to one"
  fi
  # readlink forks a process (1.6 ms of the client's start-up): only for a symlink or a relative path.
  if [ -L "$java" ] || [[ "$java" != /* ]]; then
    KVS_JAVA="$(readlink -f "$java")"
  else
    KVS_JAVA="$java"
  fi
  KVS_JAVA_HOME="${KVS_JAVA%/bin/java}"
  local version="" line
  if [ -r "$KVS_JAVA_HOME/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*) version="${line#JAVA_VERSION=}"; version="${version//\"/}" ;;
      esac
    done < "$KVS_JAVA_HOME/release"
  fi
  if [ -z "$version" ]; then
    version="$("$KVS_JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)"
  fi
  KVS_JAVA_MAJOR="${version%%.*}"
  if [ "$KVS_JAVA_MAJOR" = "1" ]; then
    KVS_JAVA_MAJOR="${version#1.}"
    KVS_JAVA_MAJOR="${KVS_JAVA_MAJOR%%.*}"
  fi
  if ! [ "$KVS_JAVA_MAJOR" -ge 17 ] 2>/dev/null; then
    kvs_die "Java ${version:-of unknown version} at $KVS_JAVA is too old: kvs needs JDK 17 or newer (set JAVA_HOME)"
  fi
}

# KVS_JAR, KVS_LIB, KVS_CLASSPATH: the programs, built with the Maven wrapper if missing.
kvs_ensure_built() {
  KVS_JAR="$KVS_ROOT/kvs-cli/target/kvs-cli.jar"
  KVS_LIB="$KVS_ROOT/kvs-cli/target/lib"
  if [ ! -f "$KVS_JAR" ] || [ ! -d "$KVS_LIB" ]; then
    echo "$KVS_PROGRAM: first run: building kvs (this takes a minute) ..." >&2
    if ! (cd "$KVS_ROOT" && JAVA_HOME="$KVS_JAVA_HOME" ./mvnw -q -B -DskipTests package -pl kvs-cli -am >&2); then
      kvs_die "build failed; run './mvnw -B package -DskipTests' in $KVS_ROOT to see why"
    fi
  fi
  KVS_CLASSPATH="$KVS_JAR" # its manifest names the jars in lib/ it needs
}

# KVS_ENGINE_FLAGS: the JVM flags KvStore needs on this JDK (after kvs_find_java), plus Chronicle's
# analytics switch, from the one list that the build and KvStore itself read too. Builtins only.
kvs_engine_flags() {
  local file="$KVS_ROOT/kvs-core/src/main/resources/io/kvs/core/log/jvm-flags.properties" line
  local -a words
  KVS_ENGINE_FLAGS=()
  [ -r "$file" ] || kvs_die "cannot read the JVM flag list $file"
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      kvs.jvm.flags.required=*|kvs.jvm.flags.optional=*) ;;
      kvs.jvm.flags.jdk24=*) [ "$KVS_JAVA_MAJOR" -ge 24 ] || continue ;;
      *) continue ;;
    esac
    read -r -a words <<< "${line#*=}"
    KVS_ENGINE_FLAGS+=("${words[@]}")
  done < "$file"
}

# Arguments and output are UTF-8 whatever the locale, so keys and values round-trip.
kvs_utf8_locale() {
  case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
    *UTF-8*|*utf8*|*UTF8*|*utf-8*) ;;
    *) export LC_ALL=C.UTF-8 ;;
  esac
}
