"""Sound: voices (espeak-ng, neural TTS), the CPU temp effects and score, diffusers' audio pipelines, the mix."""
