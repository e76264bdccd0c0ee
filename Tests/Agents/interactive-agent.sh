#!/bin/sh
# A stand-in for an interactive agent in a terminal (Gemini CLI's interactive mode), for the tests of runs
# hosted in tmux: it says it is ready, answers every line it reads with "got: <line>", and exits with code N
# on the line "quit N". Options: --env prints its environment first; --exit N exits with N at once.
if [ "$1" = "--env" ]; then env; shift; fi
echo "ready: interactive stand-in in $(pwd)"
if [ "$1" = "--exit" ]; then exit "$2"; fi
while IFS= read -r line; do
  case "$line" in
    "quit "*) echo "bye"; exit "${line#quit }" ;;
  esac
  echo "got: $line"
done
echo "end of input"
