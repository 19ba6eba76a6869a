#!/usr/bin/env bash
# tests/fuzz/run.sh BUILD_DIR SECONDS - run the libFuzzer targets of a build
# made with -DIS248_FUZZ=ON (see tests/fuzz/README.md):
#
#   CC=clang cmake -S . -B build-fuzz -DIS248_FUZZ=ON -DBUILD_TESTING=ON
#   cmake --build build-fuzz -j2 --target fuzz_xml fuzz_walk
#   tests/fuzz/run.sh build-fuzz 60
#
# For each target (fuzz_xml, then fuzz_walk):
#   1. builds its seed corpus from the fixtures (fuzz_walk: archives made
#      from them with bsdtar: zip, tar, tar.gz, tar.xz, tar.bz2, nested);
#   2. replays tests/fuzz/regressions/<target>-* one by one;
#   3. fuzzes for SECONDS (0: only runs every seed once), new inputs kept in
#      BUILD_DIR/tests/fuzz/work/<target>/corpus for the next run.
# Prints runs, exec/s and coverage per target.  Exits 1 when any replay or
# fuzzing run ended in a crash, leak, timeout, out-of-memory or sanitizer
# report, printing the reproducer's path and how to replay it; 2 on a usage
# or setup error.
set -euo pipefail

usage() {
    echo "usage: $0 BUILD_DIR SECONDS" >&2
    exit 2
}
[ $# -eq 2 ] || usage
[[ $2 =~ ^[0-9]+$ ]] || usage
[ -d "$1" ] || { echo "run.sh: no build directory '$1'" >&2; exit 2; }
build=$(cd "$1" && pwd)
duration=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
here=$src/tests/fuzz
work=$build/tests/fuzz/work

# Longest input generated, per target: room for the synthetic seeds of
# fuzz_xml (up to ~90 KiB; the fixtures are at most 2 KiB) and the
# archives of fuzz_walk (at most ~15 KiB).  libFuzzer starts with short
# inputs and lengthens them as coverage stalls (-len_control).
declare -A max_len=([fuzz_xml]=131072 [fuzz_walk]=65536)
targets=(fuzz_xml fuzz_walk)
timeout=10
rss_mb=2048

for t in "${targets[@]}"; do
    if [ ! -x "$build/tests/fuzz/$t" ]; then
        echo "run.sh: $build/tests/fuzz/$t not built; configure with" \
             "CC=clang -DIS248_FUZZ=ON -DBUILD_TESTING=ON and build --target $t" >&2
        exit 2
    fi
done
command -v bsdtar >/dev/null || {
    echo "run.sh: bsdtar is missing (Debian: libarchive-tools)" >&2
    exit 2
}

# Sanitizer settings unless the caller has their own: leaks are findings,
# and undefined behaviour stops the run (the code is also built with
# -fno-sanitize-recover=undefined).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# --- seeds --------------------------------------------------------------------

# A file name for a fixture: its path under fixtures/ with '/' as '_'.
flat() { local p=${1#"$src/fixtures/"}; echo "${p//\//_}"; }

seeds_xml() {
    local out=$1 f
    while IFS= read -r -d '' f; do
        cp "$f" "$out/$(flat "$f")"
    done < <(find "$src/fixtures/delivery" "$src/fixtures/spec-examples" \
                  -type f -name '*.xml' -print0
             find "$src/fixtures/defects/xml" -maxdepth 1 -type f \
                  -name '*.xml' -print0)
}

# Seeds made up here, for what the fixtures are too small to reach: values,
# prologs and files longer than the reader's 64 KiB block, ISO-8859-1
# buffering across blocks.
seeds_xml_synthetic() {
    local out=$1 spec=$src/fixtures/spec-examples
    local county=$spec/v2-2019-county-03.xml
    local latin1=$src/fixtures/defects/xml/enc-v1-utf8-declared-latin1.xml
    xs() { head -c "$1" /dev/zero | tr '\0' x; }
    { head -n 1 "$county"; printf '<!--'; xs 70000; echo '-->'
      tail -n +2 "$county"; } >"$out/synth-long-prolog.xml"
    { head -n 1 "$county"; printf '<!--'; xs 70000; echo '-->'
      echo '<!DOCTYPE is:Rapporter>'; tail -n +2 "$county"; } \
        >"$out/synth-long-prolog-doctype.xml"
    { head -n 3 "$county"
      for _ in $(seq 60); do sed -e '1,3d' -e '$d' "$county"; done
      tail -n 1 "$county"; } >"$out/synth-county-80k.xml"
    { head -n 2 "$latin1"; printf '<!--'; xs 70000; echo '-->'
      tail -n +3 "$latin1"; } >"$out/synth-latin1-long.xml"
    sed -e "s|>Alna<|>$(xs 20000)<|" "$county" >"$out/synth-long-value.xml"
}

seeds_walk() {
    local out=$1 tmp y i=0 fmt files
    tmp=$(mktemp -d)
    # Small archives (a few report files each) keep an iteration fast: the
    # archive layer is what this target is for, and every XML file in an
    # input is parsed.  Each year's delivery: its first two files (and a
    # corrected one where there is one, in its folder), in zip, tar and
    # tar.gz in turn.
    local fmts=(zip tar tar.gz) d=$src/fixtures/delivery top sub
    shopt -s nullglob
    for y in "$d"/[0-9]*/; do
        y=$(basename "$y")
        top=("$d/$y"/*.xml)
        sub=("$d/$y"/*/*.xml)
        files=("${top[@]:0:2}" "${sub[@]:0:1}")
        fmt=${fmts[i % 3]}
        i=$((i + 1))
        archive "$out/delivery-$y.$fmt" "$d" "${files[@]#"$d/"}"
    done
    # the defects of §8, six to an archive, in every format
    local defects=("$src/fixtures/defects/xml"/*.xml) group=0
    shopt -u nullglob
    defects=("${defects[@]#"$src/fixtures/defects/"}")
    local all=(zip tar tar.gz tar.xz tar.bz2 zip-stored pax gnutar)
    for ((i = 0; i < ${#defects[@]}; i += 6)); do
        fmt=${all[group % ${#all[@]}]}
        archive "$out/defects-$group.$fmt" "$src/fixtures/defects" "${defects[@]:i:6}"
        group=$((group + 1))
    done
    # the spec's examples in every format
    for fmt in "${all[@]}"; do
        archive "$out/spec.$fmt" "$src/fixtures" spec-examples
    done
    # the caps of fuzz_walk.c (256 KiB an entry, 1 MiB in all, 64
    # entries), reached by inputs that compress well
    local v1=$src/fixtures/spec-examples/v1-2017-1601.xml
    mkdir -p "$tmp/big" "$tmp/total" "$tmp/many" "$tmp/n1/__MACOSX" \
        "$tmp/n1/docs" "$tmp/n2"
    { head -n 2 "$v1"; printf '<!--'; head -c 300000 /dev/zero | tr '\0' x
      echo '-->'; tail -n +3 "$v1"; } >"$tmp/big/big.xml"
    archive "$out/cap-entry.tar.gz" "$tmp/big" big.xml
    for i in 1 2 3 4 5 6; do head -c 200000 "$tmp/big/big.xml" >"$tmp/total/$i.xml"; done
    archive "$out/cap-total.tar.gz" "$tmp/total" .
    for i in $(seq 80); do cp "$v1" "$tmp/many/$i.xml"; done
    archive "$out/cap-entries.tar.gz" "$tmp/many" .
    cp "$out/cap-entry.tar.gz" "$tmp/n1/big.tar.gz"
    archive "$out/nested-cap.zip" "$tmp/n1" big.tar.gz
    rm "$tmp/n1/big.tar.gz"
    # archives inside archives, with what is skipped beside them
    cp "$out/spec.tar.gz" "$tmp/n1/inner.tar.gz"
    echo "Leveranse IS-24/8" > "$tmp/n1/README.txt"
    echo "junk" > "$tmp/n1/__MACOSX/._inner.tar.gz"
    echo "junk" > "$tmp/n1/.DS_Store"
    cp "$src/fixtures/spec-examples/v1-2017-1601.xml" "$tmp/n1/1601.XML"
    archive "$out/nested.zip" "$tmp/n1" .
    cp "$out/spec.zip-stored" "$tmp/n2/inner.zip"
    cp "$out/delivery-2016.tar" "$tmp/n2/2016.tar"
    cp "$out/spec.tar.xz" "$tmp/n2/inner.tar.xz"
    archive "$out/nested.tar" "$tmp/n2" .
    rm -rf "$tmp"
}

# archive OUT DIR PATH...: bsdtar -c of PATH... under DIR, the format by
# OUT's suffix (zip-stored: a zip without compression; pax, gnutar: tar
# formats).  The file keeps the suffix it has; fuzz_walk does not look at
# the name.
archive() {
    local out=$1 dir=$2
    shift 2
    local opts
    case $out in
        *.zip) opts=(--format zip) ;;
        *.zip-stored) opts=(--format zip --options zip:compression=store) ;;
        *.tar) opts=(--format ustar) ;;
        *.pax) opts=(--format pax) ;;
        *.gnutar) opts=(--format gnutar) ;;
        *.tar.gz) opts=(-z) ;;
        *.tar.xz) opts=(-J) ;;
        *.tar.bz2) opts=(-j) ;;
        *) echo "run.sh: no format for $out" >&2; exit 2 ;;
    esac
    bsdtar -c -f "$out" "${opts[@]}" -C "$dir" "$@"
}

# Seeds longer than the target's -max_len would be cut (a zip without its
# end), so they are left out.
prune() {
    local dir=$1 limit=$2 f n=0
    for f in "$dir"/*; do
        if [ "$(stat -c %s "$f")" -gt "$limit" ]; then
            rm -f "$f"
            n=$((n + 1))
        fi
    done
    [ $n -eq 0 ] || echo "  ($n seeds longer than $limit bytes left out)"
}

# --- running ----------------------------------------------------------------

failed=0
summary=()

# Findings in a log: a sanitizer's or libFuzzer's report, or one of ours.
findings() {
    grep -E -m 5 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|broken promise|SUMMARY: ' "$1" || true
}

replay() {
    local t=$1 bin=$2 log=$3 f rc
    shopt -s nullglob
    local files=("$here/regressions/$t"-*)
    shopt -u nullglob
    [ ${#files[@]} -gt 0 ] || { echo "  no regressions to replay"; return 0; }
    for f in "${files[@]}"; do
        rc=0
        # (-artifact_prefix: libFuzzer writes the input again on a crash)
        "$bin" -timeout=$timeout -rss_limit_mb=$rss_mb \
            -artifact_prefix="${log%/*}/replay-" "$f" >"$log" 2>&1 || rc=$?
        if [ $rc -ne 0 ] || [ -n "$(findings "$log")" ]; then
            echo "  FAILED regression ${f#"$src/"} (exit $rc):"
            tail -n 60 "$log" | sed 's/^/    /'
            echo "  reproducer: $f"
            echo "  replay:     $bin $f"
            failed=1
        else
            echo "  ok ${f#"$src/"}"
        fi
    done
}

fuzz() {
    local t=$1 bin=$2 dir=$3 log=$4 rc=0 dict=() mode
    [ -f "$here/xml.dict" ] && dict=(-dict="$here/xml.dict")
    rm -rf "$dir/artifacts"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    if [ "$duration" -eq 0 ]; then
        mode=(-runs=0)
    else
        mode=(-max_total_time="$duration")
    fi
    local start=$SECONDS
    "$bin" "${mode[@]}" -max_len="${max_len[$t]}" -timeout=$timeout \
        -rss_limit_mb=$rss_mb -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" "${dict[@]}" \
        "$dir/corpus" "$dir/seeds" >"$log" 2>&1 || rc=$?
    local elapsed=$((SECONDS - start))

    # libFuzzer's last status line: "#N DONE cov: C ft: F corp: U/S ... exec/s: E rss: R"
    local last runs cov ft corp eps rss
    last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|pulse|NEW|REDUCE)' "$log" | tail -n 1 || true)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
    local line
    line=$(printf '%s: %s runs in %s s, %s exec/s, cov %s (edges), ft %s (features), corpus %s, peak rss %s MB' \
        "$t" "${runs:-?}" "$elapsed" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}")
    echo "  $line"
    summary+=("$line")

    local arts=() a
    shopt -s nullglob
    for a in "$dir/artifacts"/{crash,leak,timeout,oom}-*; do arts+=("$a"); done
    shopt -u nullglob
    if [ $rc -ne 0 ] || [ ${#arts[@]} -gt 0 ] || [ -n "$(findings "$log")" ]; then
        echo "  FAILED: $t exited $rc"
        tail -n 80 "$log" | sed 's/^/    /'
        for a in "${arts[@]}"; do
            echo "  reproducer: $a"
            echo "  replay:     $bin $a"
            echo "  keep it:    cp $a $here/regressions/$t-SHORT-NAME"
        done
        [ ${#arts[@]} -gt 0 ] || echo "  (no reproducer written; full log: $log)"
        failed=1
    fi
}

for t in "${targets[@]}"; do
    bin=$build/tests/fuzz/$t
    dir=$work/$t
    echo "== $t"
    rm -rf "$dir/seeds"
    mkdir -p "$dir/seeds"
    "seeds_${t#fuzz_}" "$dir/seeds"
    [ "$t" != fuzz_xml ] || seeds_xml_synthetic "$dir/seeds"
    echo "  $(find "$dir/seeds" -type f | wc -l) seeds"
    prune "$dir/seeds" "${max_len[$t]}"
    replay "$t" "$bin" "$dir/replay.log"
    fuzz "$t" "$bin" "$dir" "$dir/fuzz.log"
done

echo "== summary"
for s in "${summary[@]}"; do echo "  $s"; done
if [ $failed -ne 0 ]; then
    echo "run.sh: FAILED (see the reproducers above)"
    exit 1
fi
echo "run.sh: no findings"
