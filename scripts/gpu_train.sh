#!/usr/bin/env bash
# Trains the shipped networks in one-shot, time-boxed runs on one lent GPU (how checkpoints/ was made).
# Phases run in the order given, each building on checkpoints/ as the previous one left it:
#   bash scripts/gpu_train.sh base      # M^a, M^b and both evaluators from scratch, side by side
#   bash scripts/gpu_train.sh finetune  # M^a and M^b continued from checkpoints/
#   bash scripts/gpu_train.sh mixers    # the four Mixers, continued from checkpoints/mixer_*.safetensors if present
#   bash scripts/gpu_train.sh evaluate  # the full tables of docs/ on checkpoints/
#   bash scripts/gpu_train.sh finetune mixers   # both, in one call
# BUDGET (seconds of training per run; BUDGET_MIXERS for the mixers), FINETUNE (the config family of the
# finetune phase, finetune_gpu by default; FINETUNE_INTERACTION or FINETUNE_INDIVIDUAL overrides it for one denoiser), FINETUNE_KINDS (which denoisers it continues, both by default) and OUT
# (where the packed results go) come from the environment.
# Results are packed as one tar.gz split into parts below 16 MiB, with the logs.
# The text embeddings of every corpus text must be in .cache/text/minilm.npz (see scripts/prepare_texts.py):
# the GPU machine needs no text model. What these runs read: mixermdm_core/, configs/, scripts/, assets/stats/, the
# four generator and mixer checkpoints and that store (not the evaluators, docs, tests or demo), about 60 MB.
set -uo pipefail
[ $# -gt 0 ] || { echo "usage: gpu_train.sh base|finetune|mixers|evaluate ..."; exit 2; }
out=${OUT:-runs/out}
export PYTHONUNBUFFERED=1 PYTHONPATH=$PWD OMP_NUM_THREADS=4
mkdir -p runs "$out"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
t0=$(date +%s)
run() { name=$1; budget=$2; shift 2; made+=" $name"
  timeout $(( budget + 150 )) python3 -m mixermdm_core.train "$@" --out "runs/$name" --time-budget "$budget" \
    --anneal-by-time > "runs/$name.log" 2>&1 & }
made=""
for phase in "$@"; do
  case $phase in
    base|finetune|mixers)
      if [ -z "$made" ]; then
        python3 -c "
from mixermdm_core.training.recipe import DataConfig
from mixermdm_core.training.sources import corpora
for split in ('train', 'val'):
    corpora(DataConfig(), split)"
        echo "corpora ready after $(( $(date +%s) - t0 )) s"
      fi ;;&
    base)
      run interaction "${BUDGET:-360}" interaction --config configs/interaction.toml
      run individual "${BUDGET:-360}" individual --config configs/individual.toml
      run evaluator_interaction "${BUDGET:-360}" evaluator --people 2 --config configs/evaluator.toml
      run evaluator_individual "${BUDGET:-360}" evaluator --people 1 --config configs/evaluator.toml ;;
    finetune)  # --init is used only when the run folder holds no state.pt to resume
      for kind in ${FINETUNE_KINDS:-interaction individual}; do
        family=FINETUNE_${kind^^}; family=${!family:-${FINETUNE:-finetune_gpu}}
        run "$kind" "${BUDGET:-360}" "$kind" --config "configs/${family}_$kind.toml" --init "checkpoints/$kind.safetensors"
      done ;;
    mixers)
      for g in g t s st; do
        init=(); [ -f "checkpoints/mixer_$g.safetensors" ] && init=(--init "checkpoints/mixer_$g.safetensors")
        run "mixer_$g" "${BUDGET_MIXERS:-${BUDGET:-360}}" mixer --granularity "${g^^}" --config configs/mixer.toml "${init[@]}"
      done ;;
    evaluate)
      ev() { python3 -m mixermdm_core.evaluate --device cuda --prompt-batch 32 --text-store .cache/text/minilm.npz "$@"; }
      ev --csv "$out/evaluation.csv" --json "$out/evaluation.json" --md "$out/evaluation.md" \
        --plot "$out/weights_per_step.png" 2>&1 | tee "$out/evaluation.log"
      ev --models --csv "$out/models.csv" --json "$out/models.json" --md "$out/models.md" 2>&1 | tee "$out/models.log"
      continue ;;
    *) echo "unknown phase $phase"; exit 2 ;;
  esac
  wait
  for name in $made; do cp "runs/$name/$name.safetensors" checkpoints/; done
  echo "$phase done after $(( $(date +%s) - t0 )) s"
done
[ -n "$made" ] || exit 0
tail -n 3 runs/*.log
# What comes back from the GPU machine is limited to 64 MiB: this call's checkpoints, logs and curves.
files=()
for name in $made; do files+=("runs/$name.log" runs/"$name"/*.safetensors runs/"$name"/*.json*); done
tar czf - "${files[@]}" 2>/dev/null | split -b 15M - "$out/result.tgz.part-"
ls -la "$out"
