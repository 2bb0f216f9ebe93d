#!/usr/bin/env bash
# Trains the shipped networks in one-shot, time-boxed runs on one lent GPU (how checkpoints/ was made).
#   bash scripts/gpu_train.sh base    # corpora, then M^a, M^b and both evaluators side by side on the GPU
#   bash scripts/gpu_train.sh finetune  # M^a and M^b from the shipped checkpoints, then the four Mixers
#   bash scripts/gpu_train.sh mixers  # the four Mixers side by side (needs checkpoints/{interaction,individual})
#   bash scripts/gpu_train.sh evaluate  # the full tables of docs/ on the shipped checkpoints (a few minutes)
# BUDGET (seconds of training per run) and OUT (where the packed results go) come from the environment.
# Results are packed as one tar.gz split into parts below 16 MiB, with the logs.
# The text embeddings of every corpus text must be in .cache/text/minilm.npz (see scripts/prepare_texts.py):
# the GPU machine needs no text model.
set -uo pipefail
phase=${1:?usage: gpu_train.sh base|finetune|mixers|evaluate}
budget=${BUDGET:-360}
out=${OUT:-runs/out}
export PYTHONUNBUFFERED=1 PYTHONPATH=$PWD OMP_NUM_THREADS=4
mkdir -p runs "$out"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
if [ "$phase" = evaluate ]; then
  ev() { python3 -m mixermdm_core.evaluate --device cuda --text-store .cache/text/minilm.npz "$@"; }
  ev --csv "$out/evaluation.csv" --json "$out/evaluation.json" --md "$out/evaluation.md" --plot "$out/weights_per_step.png" \
    2>&1 | tee "$out/evaluation.log"
  ev --models --csv "$out/models.csv" --json "$out/models.json" --md "$out/models.md" 2>&1 | tee "$out/models.log"
  exit 0
fi
t0=$(date +%s)
python3 - <<'PY'
from mixermdm_core.training.config import DataConfig
from mixermdm_core.training.datasets import corpora
for split in ("train", "val"):
    corpora(DataConfig(), split)
PY
echo "corpora ready after $(( $(date +%s) - t0 )) s"
run() { name=$1; shift; timeout $(( budget + 150 )) python3 -m mixermdm_core.train "$@" --out "runs/$name" > "runs/$name.log" 2>&1 & }
if [ "$phase" = base ]; then
  made="interaction individual evaluator_interaction evaluator_individual"
  run interaction interaction --config configs/interaction.toml --time-budget "$budget" --anneal-by-time
  run individual individual --config configs/individual.toml --time-budget "$budget" --anneal-by-time
  run evaluator_interaction evaluator --people 2 --config configs/evaluator.toml
  run evaluator_individual evaluator --people 1 --config configs/evaluator.toml
elif [ "$phase" = finetune ]; then
  made="interaction individual mixer_g mixer_t mixer_s mixer_st"
  # Fine-tune the shipped M^a and M^b (--init; a run folder's state.pt, if any, resumes instead) for BUDGET
  # seconds, then train the four Mixers on them for BUDGET2 seconds. The evaluators are kept.
  for kind in interaction individual; do
    run "$kind" "$kind" --config "configs/$kind.toml" --init "checkpoints/$kind.safetensors" \
      --time-budget "$budget" --anneal-by-time
  done
  wait
  cp runs/interaction/interaction.safetensors runs/individual/individual.safetensors checkpoints/
  budget=${BUDGET2:-240}
  for g in G T S ST; do
    run "mixer_${g,,}" mixer --granularity "$g" --config configs/mixer.toml --time-budget "$budget" --anneal-by-time
  done
else
  made="mixer_g mixer_t mixer_s mixer_st"
  for g in G T S ST; do
    run "mixer_${g,,}" mixer --granularity "$g" --config configs/mixer.toml --time-budget "$budget" --anneal-by-time
  done
fi
wait
echo "training done after $(( $(date +%s) - t0 )) s"
tail -n 3 runs/*.log
# Only this phase's outputs: what comes back from the GPU machine is limited to 64 MiB.
files=()
for name in $made; do files+=("runs/$name.log" runs/"$name"/*.safetensors runs/"$name"/*.json*); done
tar czf - "${files[@]}" 2>/dev/null | split -b 15M - "$out/result.tgz.part-"
ls -la "$out"
