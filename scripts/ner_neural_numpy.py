"""A BiLSTM-CRF of scripts/ner_neural.py run in numpy (no PyTorch): NOT shipped, kept as the evidence
behind docs/ner.md's figures on what shipping a neural design would cost.

    python scripts/ner_neural_numpy.py --data ../shared/data --work /tmp/nn/work [--design bilstm-crf]

exports the design trained by `train_ner.py --compare NAME --no-ship --work WORK` (WORK/NAME.pt, word
embeddings rounded to float16) to WORK/NAME.npz, checks that the numpy tags equal PyTorch's on the dev
split, and times the numpy tagger (and, for the ensemble, the CRF's marginals) on the first 2,000 news
articles, on one core.

Speed: everything that depends on the word type alone (word embedding, character CNN, clusters, shape,
proclitics) goes into the LSTM's input projection once per type, and the result is cached, so a token
costs one look-up plus its gazetteer tag's row; sentences are batched by length for the recurrences.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np

from waqai.arabic import normalize
from waqai.ner.features import FeatureExtractor, Resources, core_of, shape_of

TAGS = ("O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
GAZ = (None, "CTRY-B", "CTRY-I", "CITY-B", "CITY-I", "NAT-B", "NAT-I")
GAZ_ID = {g: i for i, g in enumerate(GAZ)}
MAX_CHARS = 20
_BATCH = 256  # sentences per recurrence batch


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # 0.5 * (1 + tanh(x / 2)): no overflow warnings, one transcendental call
    return 0.5 + 0.5 * np.tanh(0.5 * x)


def _strings(arr: np.ndarray) -> list[str]:
    return bytes(arr.astype(np.uint8)).decode("utf-8").split("\n")


class BiLstmCrf:
    """Weights of a trained BiLSTM-CRF and the word-type cache."""

    def __init__(self, npz: bytes, res: Resources):
        z = np.load(io.BytesIO(npz), allow_pickle=False)
        f32 = np.float32
        self.res = res
        self._fx = FeatureExtractor(res)  # only its gazetteer matcher is used
        self.word_id = {w: i for i, w in enumerate(_strings(z["words"]))}
        self.char_id = {c: i for i, c in enumerate(_strings(z["chars"]))}
        self.shape_id = {s: i for i, s in enumerate(_strings(z["shapes"]))}
        self.pro_id = {p: i for i, p in enumerate(_strings(z["pros"]))}
        self.emb_word = z["emb_word"].astype(f32)
        self.has_chars = "emb_char" in z
        self.has_feats = "emb_c1" in z
        H = int(z["w_hh_f"].shape[1])
        self.H = H
        # input projection of both directions: (D, 8H), the type part and the gazetteer rows
        w_ih = np.concatenate([z["w_ih_f"], z["w_ih_b"]], 0).astype(f32).T  # (D, 8H)
        bias = np.concatenate([z["b_f"], z["b_b"]]).astype(f32)
        if self.has_chars:
            self.emb_char = z["emb_char"].astype(f32)
            conv = z["conv_w"].astype(f32)  # (F, C, 3)
            self.conv_w = conv.transpose(2, 1, 0).reshape(-1, conv.shape[0])  # (3C, F): window-major
            self.conv_b = z["conv_b"].astype(f32)
        if self.has_feats:
            self.emb_c = [z["emb_c1"].astype(f32), z["emb_c2"].astype(f32), z["emb_c3"].astype(f32)]
            self.emb_shape = z["emb_shape"].astype(f32)
            self.emb_pro = z["emb_pro"].astype(f32)
            emb_gaz = z["emb_gaz"].astype(f32)
            dg = emb_gaz.shape[1]
            self.gaz_proj = emb_gaz @ w_ih[-dg:]  # (7, 8H)
            w_ih = w_ih[:-dg]
        else:
            self.gaz_proj = np.zeros((len(GAZ), 8 * H), dtype=f32)
        self.w_type = w_ih
        self.bias = bias
        self.w_hh_f = z["w_hh_f"].astype(f32).T.copy()  # (H, 4H)
        self.w_hh_b = z["w_hh_b"].astype(f32).T.copy()
        self.w_out = z["w_out"].astype(f32).T.copy()  # (2H, K)
        self.b_out = z["b_out"].astype(f32)
        self.trans = z["trans"].astype(np.float64)  # constraints already added
        self.start = z["start"].astype(np.float64)
        self.end = z["end"].astype(np.float64)
        self._cache: dict[str, tuple] = {}

    # -- per word type -----------------------------------------------------------------------------
    def _prepare(self, toks: list[str]) -> None:
        """Computes and caches (norm, gazetteer entries, input projection) for word types not seen yet."""
        f32 = np.float32
        n = len(toks)
        norms, wids, cls, shapes, pros, charseqs = [], [], [], [], [], []
        for tok in toks:
            norm = normalize(tok)
            pro, core = core_of(norm)
            wid = self.word_id.get(norm)
            if wid is None and core != norm:
                wid = self.word_id.get(core)
            wids.append(1 if wid is None else wid)
            norms.append(norm)
            if self.has_feats:
                kl = self.res.clusters.get(norm)
                if kl is None and core != norm:
                    kl = self.res.clusters.get(core)
                cls.append((int(kl[0]) + 1, int(kl[1]) + 1, int(kl[2]) + 1) if kl else (0, 0, 0))
                shapes.append(self.shape_id.get(shape_of(tok), 0))
                pros.append(self.pro_id.get(pro, 0))
            if self.has_chars:
                cs = list(tok)
                if len(cs) > MAX_CHARS:
                    cs = cs[:MAX_CHARS // 2] + cs[-MAX_CHARS // 2:]
                charseqs.append([2] + [self.char_id.get(c, 1) for c in cs] + [3])
        parts = [self.emb_word[np.array(wids)]]
        if self.has_chars:
            L = max(len(c) for c in charseqs)
            ids = np.zeros((n, L + 2), dtype=np.int64)  # one zero column of padding on each side
            lens = np.empty(n, dtype=np.int64)
            for i, c in enumerate(charseqs):
                ids[i, 1:1 + len(c)] = c
                lens[i] = len(c)
            e = self.emb_char[ids]  # (n, L+2, C); the padding row is zero
            win = np.concatenate([e[:, :-2], e[:, 1:-1], e[:, 2:]], 2)  # (n, L, 3C)
            h = win @ self.conv_w + self.conv_b  # (n, L, F)
            h[np.arange(L)[None, :] >= lens[:, None]] = -np.inf
            parts.append(np.tanh(h.max(1)))
        if self.has_feats:
            cl = np.array(cls, dtype=np.int64).reshape(n, 3)
            parts += [self.emb_c[0][cl[:, 0]], self.emb_c[1][cl[:, 1]], self.emb_c[2][cl[:, 2]],
                      self.emb_shape[np.array(shapes)], self.emb_pro[np.array(pros)]]
        x = np.concatenate(parts, 1).astype(f32)
        proj = x @ self.w_type + self.bias  # (n, 8H)
        cache = self._cache
        if len(cache) > 500_000:
            cache.clear()
        for i, tok in enumerate(toks):
            cache[tok] = (norms[i], self._fx.gazetteer_entries(norms[i]), proj[i])

    # -- sentences ---------------------------------------------------------------------------------
    def _lstm(self, X: np.ndarray, w_hh: np.ndarray) -> np.ndarray:
        """One direction over a batch (B, T, 4H) of input projections; padding at the end."""
        B, T, _ = X.shape
        H = self.H
        h = np.zeros((B, H), dtype=np.float32)
        c = np.zeros((B, H), dtype=np.float32)
        out = np.empty((B, T, H), dtype=np.float32)
        for t in range(T):
            g = X[:, t] + h @ w_hh
            s = _sigmoid(g[:, :2 * H])
            c = s[:, H:] * c + s[:, :H] * np.tanh(g[:, 2 * H:3 * H])
            h = _sigmoid(g[:, 3 * H:]) * np.tanh(c)
            out[:, t] = h
        return out

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for a list of sentences (lists of raw tokens, none empty)."""
        cache = self._cache
        new = sorted({t for s in sentences for t in s if t not in cache})
        if new:
            self._prepare(new)
        H4 = 4 * self.H
        gaz_proj = self.gaz_proj
        fx = self._fx
        rows = []
        for s in sentences:
            infos = [cache[t] for t in s]
            g = [GAZ_ID[x] for x in fx.gazetteer_tags(infos)]
            rows.append(np.stack([i[2] for i in infos]) + gaz_proj[g])
        out: list = [None] * len(sentences)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        groups: list[list[int]] = []
        for i in order:  # batches of similar length: little padding
            n = len(sentences[i])
            if not groups or len(groups[-1]) >= _BATCH or n > 1.25 * len(sentences[groups[-1][0]]) + 2:
                groups.append([])
            groups[-1].append(i)
        for ids in groups:
            lens = [len(sentences[i]) for i in ids]
            B, T = len(ids), lens[-1]
            Xf = np.zeros((B, T, H4), dtype=np.float32)
            Xb = np.zeros((B, T, H4), dtype=np.float32)
            for j, i in enumerate(ids):
                n = lens[j]
                Xf[j, :n] = rows[i][:, :H4]
                Xb[j, :n] = rows[i][::-1, H4:]
            hf = self._lstm(Xf, self.w_hh_f)
            hb = self._lstm(Xb, self.w_hh_b)
            for j, i in enumerate(ids):
                n = lens[j]
                h = np.concatenate([hf[j, :n], hb[j, :n][::-1]], 1)
                em = (h @ self.w_out + self.b_out).astype(np.float64)
                out[i] = em
            # batched Viterbi over the sentences of this batch
            K = len(TAGS)
            em_b = np.zeros((B, T, K))
            for j, i in enumerate(ids):
                em_b[j, :lens[j]] = out[i]
            lens_a = np.array(lens)
            score = self.start + em_b[:, 0]
            back = np.zeros((B, T, K), dtype=np.int64)
            for t in range(1, T):
                s = score[:, :, None] + self.trans
                bp = s.argmax(1)
                nxt = np.take_along_axis(s, bp[:, None, :], 1)[:, 0] + em_b[:, t]
                live = (t < lens_a)[:, None]
                score = np.where(live, nxt, score)
                back[:, t] = bp
            score = score + self.end
            for j, i in enumerate(ids):
                n = lens[j]
                best = int(score[j].argmax())
                path = [best]
                bj = back[j]
                for t in range(n - 1, 0, -1):
                    best = int(bj[t, best])
                    path.append(best)
                out[i] = [TAGS[x] for x in reversed(path)]
        return out


def main(argv=None) -> int:
    import argparse
    import gzip
    import json
    import os
    import sys
    import time
    from pathlib import Path

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "scripts"))
    import ner_neural as N
    import torch
    import train_ner as T

    from waqai.arabic import split_sentences, tokenize
    from waqai.ner import load_tagger, read_conll

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=root.parent / "shared" / "data")
    ap.add_argument("--work", type=Path, default=Path("/tmp/waqai-ner-work"))
    ap.add_argument("--design", default="bilstm-crf")
    ap.add_argument("--articles", type=int, default=2000)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    anc = read_conll(args.data / "ner" / "anercorp-train.txt")
    train, dev = T.split_dev(anc)
    base = root / "src" / "waqai" / "resources" / "ner"
    res = Resources(Resources.read_clusters((base / "clusters.tsv.gz").read_bytes()),
                    Resources.read_gazetteer((base / "gazetteer.tsv").read_text("utf-8")))

    def vectors(v):
        z = np.load(args.work / f"vectors-{v}.npz")
        return list(z["vocab"]), z["vectors"]

    name = args.design.replace("/", "_")
    net, enc = N.load_design(args.work / f"{name}.pt", T.DESIGNS[args.design], train, res, vectors)
    with torch.no_grad():  # as exported
        net.emb_word.weight.copy_(net.emb_word.weight.half().float())
    sents = [[t for t, _ in s] for s in dev]
    gold = [[t for _, t in s] for s in dev]
    pt = N.predict(net, [enc.sentence(s) for s in sents])
    npz = args.work / f"{name}.npz"
    N.export_npz(net, enc, npz)
    m = BiLstmCrf(npz.read_bytes(), res)
    npt = m.tag(sents)
    same = sum(a == b for a, b in zip(pt, npt))
    print(f"{npz}: {npz.stat().st_size / 1e6:.1f} MB; dev sentences with identical tags numpy vs torch: "
          f"{same}/{len(sents)}; F1 torch {T.evaluate(gold, pt)['overall']['F1'] * 100:.2f}, "
          f"numpy {T.evaluate(gold, npt)['overall']['F1'] * 100:.2f}")
    docs = []
    with gzip.open(args.data / "news" / "ant-2018.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            if len(docs) >= args.articles:
                break
            docs.append(json.loads(line).get("text") or "")
    t0 = time.perf_counter()
    doc_sents = []
    for text in docs:
        ss = []
        for s, e in split_sentences(text):
            toks = [t.text for t in tokenize(text[s:e])]
            ss += [toks[k:k + 400] for k in range(0, len(toks), 400)]
        doc_sents.append([s for s in ss if s])
    dt = time.perf_counter() - t0
    ntok = sum(len(s) for ss in doc_sents for s in ss)
    print(f"{len(docs)} articles, {ntok} tokens; split + tokenise {dt:.2f}s")
    for chunk in (1, 64):
        for p in ("cold", "warm"):
            if p == "cold":
                m._cache.clear()
            t0 = time.perf_counter()
            for k in range(0, len(doc_sents), chunk):
                m.tag([s for ss in doc_sents[k:k + chunk] for s in ss])
            dt = time.perf_counter() - t0
            print(f"numpy BiLSTM-CRF, {chunk} article(s) per call, {p} cache: {dt:.2f}s, {ntok / dt:,.0f} tokens/s")
    tg = load_tagger()
    tg._fx._cache.clear()
    t0 = time.perf_counter()
    for ss in doc_sents:
        for s in ss:
            tg.tag_tokens(s)
    dt = time.perf_counter() - t0
    print(f"shipped CRF, tag_tokens, cold cache: {dt:.2f}s, {ntok / dt:,.0f} tokens/s")
    t0 = time.perf_counter()
    for ss in doc_sents:
        for s in ss:
            tg._crf.set(tg._fx.sentence(s))
            [[tg._crf.marginal(y, t) for y in TAGS] for t in range(len(s))]
    dt = time.perf_counter() - t0
    print(f"shipped CRF, features + token marginals (for the ensemble), warm cache: {dt:.2f}s, {ntok / dt:,.0f} tokens/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
