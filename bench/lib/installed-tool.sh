# Sourced by the bench scripts: sets FLOWLINE to the installed tool (issue 15: what users get, `dotnet pack` +
# `dotnet tool install` from that folder) unless FLOWLINE is set. Reuses bench/run.sh's bench/out/flowline-tool;
# packs and installs it when missing, or always with FLOWLINE_REPACK=1.
installed_flowline() { # installed_flowline ROOT
  local root="$1"
  [ -z "${FLOWLINE:-}" ] || return 0
  if [ "${FLOWLINE_REPACK:-0}" = 1 ] || [ ! -x "$root/bench/out/flowline-tool/flowline" ]; then
    rm -rf "$root/bench/out/flowline-packages" "$root/bench/out/flowline-tool" "$root"/src/Flowline.Cli/bin/Release/net10.0/*/publish
    (cd "$root" && dotnet pack src/Flowline.Cli -c Release -o "$root/bench/out/flowline-packages" -nologo -v quiet)
    dotnet tool install --tool-path "$root/bench/out/flowline-tool" --add-source "$root/bench/out/flowline-packages" \
      Flowline.Cli >/dev/null
  fi
  FLOWLINE="$root/bench/out/flowline-tool/flowline"
}
