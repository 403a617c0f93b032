#!/bin/bash
# Interop check (issue 3): train a TokenLab GPT (standard configuration), score it with `tokenlab score`,
# load the same model.safetensors into nanoGPT's model class (nanogpt_check.py, PyTorch) and compare the losses.
# Needs python3 with torch and numpy (Debian: python3-torch). Usage: transformer/interop/check-nanogpt.sh [PRESET] [STEPS]
set -euo pipefail
preset=${1:-small}; steps=${2:-200}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python=${PYTHON:-/usr/bin/python3}
# the text: TokenLab's own docs (any bytes will do); the last 16 KiB are held out for scoring
cat "$root"/docs/*.md "$root"/docs/experiments/*.md > "$work/all.txt"
head -c -16384 "$work/all.txt" > "$work/train.txt"; tail -c 16384 "$work/all.txt" > "$work/valid.txt"
"$root/tokenlab" train --preset "$preset" --steps "$steps" --data "$work/train.txt" --out "$work/run" --threads 1 > "$work/train.log"
ckpt=$(ls -d "$work"/run/checkpoints/step-* | sort | tail -1)
score=$("$root/tokenlab" score --checkpoint "$ckpt" --data "$work/valid.txt" --threads 1 | grep nats_per_token)
echo "tokenlab score: $score"
nats=$(echo "$score" | sed -E 's/.*"nats_per_token": ([0-9.]+).*/\1/')
"$python" "$root/transformer/interop/nanogpt_check.py" "$ckpt/model.safetensors" "$work/valid.txt" --expect "$nats"
