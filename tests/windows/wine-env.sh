# Sourced by the Windows test scripts: a Wine prefix of its own under the build folder, no display,
# no first-run dialogs (Mono, Gecko), no debug chatter.
# Needs: SMBREAPER_WINE_PREFIX (the prefix folder).
export WINEPREFIX=${SMBREAPER_WINE_PREFIX:?SMBREAPER_WINE_PREFIX names the Wine prefix}
export WINEARCH=win64
export WINEDEBUG=-all
export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d"
unset DISPLAY WAYLAND_DISPLAY
