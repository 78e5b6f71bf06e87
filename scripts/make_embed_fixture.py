#!/usr/bin/env python3
"""Writes tests/fixtures/embed/minilm.json: sentence-transformers' embeddings of 24 Dutch and
English clinical sentences with all-MiniLM-L6-v2, the anchor that tests/embed_bert.rs checks
clinkit's own BERT encoder against (within 1e-4 per component).

Run once, in a venv with sentence-transformers (pip install torch sentence-transformers):

    CLINKIT_MODELS=models python scripts/make_embed_fixture.py

Numbers are rounded to 6 decimals (an error of at most 5e-7, far below the 1e-4 tolerance).
"""
import json
import os
import sys

from sentence_transformers import SentenceTransformer, __version__ as st_version
import torch

SENTENCES = [
    "Patiënt heeft een verminderde linkerventrikelfunctie met een LVEF van 35%.",
    "Geen pijn op de borst, wel dyspneu bij inspanning (NYHA II).",
    "Bekend met atriumfibrilleren, gebruikt apixaban 5 mg tweemaal daags.",
    "Bloeddruk 142/88 mmHg, pols 76/min regulair.",
    "NT-proBNP 1250 ng/L, eGFR 48 ml/min/1.73m2.",
    "Moeder overleden aan een hartinfarct op 62-jarige leeftijd.",
    "Verwijzing naar de cardioloog wegens palpitaties en duizeligheid.",
    "Allergie voor penicilline (huiduitslag).",
    "Rookt niet meer sinds 2015, daarvoor 20 pakjaren.",
    "Echocardiografie toont een matige mitralisinsufficiëntie.",
    "Enkeloedeem beiderzijds, geen koorts.",
    "Diabetes mellitus type 2 wordt uitgesloten.",
    "The patient reports chest pain on exertion relieved by rest.",
    "Left ventricular ejection fraction is 40 percent on echocardiography.",
    "No history of stroke or transient ischaemic attack.",
    "She takes metoprolol 50 mg once daily and atorvastatin 40 mg at night.",
    "Blood pressure was 128/79 mmHg with a regular heart rate of 64 bpm.",
    "Family history: father had a myocardial infarction at age 55.",
    "Urgent referral for suspected aortic stenosis with syncope.",
    "Current smoker, about ten cigarettes a day.",
    "Kidney function is reduced with an eGFR of 38.",
    "Known allergy to contrast media.",
    "Graag uw beoordeling.",
    "ok",
]


def main() -> None:
    models = os.environ.get("CLINKIT_MODELS", "models")
    model_dir = os.path.join(models, "all-minilm-l6-v2")
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/embed/minilm.json"
    model = SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(SENTENCES, batch_size=32, convert_to_numpy=True)
    fixture = {
        "model": "all-minilm-l6-v2",
        "made_by": f"sentence-transformers {st_version}, torch {torch.__version__}",
        "sentences": SENTENCES,
        "embeddings": [[round(float(x), 6) for x in row] for row in vectors],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out}: {len(SENTENCES)} sentences x {vectors.shape[1]} numbers")


if __name__ == "__main__":
    main()
