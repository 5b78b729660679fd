"""Regenerates the model-file fixtures (all values invented): python3 gen.py"""
import io, json, pickle, struct, zipfile

cfg = {"config": {"base_model": "distilbert-base-uncased", "lr": 3e-5,
                  "hub_token": "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"},
       "notes": "x" * 300 + " wandb 5d41402abc4b2a76b9719d911017c592c0ffee42",
       "blob": b"\x00\x01\x02" * 10}
open("config.pkl", "wb").write(pickle.dumps(cfg, protocol=4))
open("legacy-p0.pkl", "wb").write(pickle.dumps({"api_key": "sk-proj-Lp0Wm8Pz3Kd7Rt5Vb9Nc1Lj6Hs4Gf2Ay0Ue8Io3Pw7Qe5Rt2Yu9Ia6Sd4Fg1Hj8Kl3Zx5Cv0Bn9Mq2We7Rt4Yu"}, protocol=0))

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", pickle.dumps({"state": "ok", "wandb_api_key": "8f3a9c1e7b2d4f6a0c5e9b3d7f1a2c4e6b8d0f3a"}, protocol=2))
    z.writestr("archive/data/0", b"\x11" * 64)
open("checkpoint.pt", "wb").write(buf.getvalue())

meta = {"__metadata__": {"format": "pt", "hf_token": "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"},
        "w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}
h = json.dumps(meta, separators=(",", ":")).encode()
h += b" " * (-len(h) % 8)
open("adapter.safetensors", "wb").write(struct.pack("<Q", len(h)) + h + b"\xcc" * 16)

def gs(s):
    b = s.encode(); return struct.pack("<Q", len(b)) + b
kv = [("general.name", 8, gs("tiny-llama")),
      ("general.source.url", 8, gs("https://ml:Qz7Wx2Ec9Rv4Tb@models.acme.example/tiny")),
      ("llama.context_length", 4, struct.pack("<I", 2048)),
      ("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 2) + gs("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") + gs("<s>")),
      ("general.tags", 9, struct.pack("<IQ", 8, 1) + gs("token=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"))]
out = b"GGUF" + struct.pack("<IQQ", 3, 0, len(kv))
for k, t, v in kv:
    out += gs(k) + struct.pack("<I", t) + v
open("tiny.gguf", "wb").write(out + b"\x00" * 32)
