"""Neural designs of the NER comparison (scripts/train_ner.py --compare bilstm-crf...): a BiLSTM-CRF in
PyTorch over, per token, (a) a word embedding initialised from the PPMI-SVD vectors of the unlabeled
news corpus (the vectors the word clusters are made from), looked up for the normalised word or, failing
that, its clitic-stripped core; (b) a character CNN over the raw token; (c) small embeddings of the
discrete features the CRF uses (clusters at three levels, gazetteer B/I tag and type, shape, proclitic
string). Then a BiLSTM and a linear-chain CRF with the BIO constraints (forward algorithm and Viterbi
written here).

Training protocol (never looks at the dev split): train on the first 90% of the training sentences and
score the last 10% (contiguous, like the dev rule) after every epoch; the best epoch count is then used
to retrain on all the training sentences with the same seed. Deterministic: one thread, fixed seeds,
`torch.use_deterministic_algorithms(True)`.
"""

from __future__ import annotations

import collections
import time

import numpy as np

from waqai.arabic import normalize
from waqai.ner import repair_bio
from waqai.ner.features import FeatureExtractor, Resources, core_of, shape_of

TAGS = ("O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
TAG_ID = {t: i for i, t in enumerate(TAGS)}
GAZ = (None, "CTRY-B", "CTRY-I", "CITY-B", "CITY-I", "NAT-B", "NAT-I")
NEG = -10000.0
MAX_CHARS = 20  # longer tokens: first 10 and last 10 characters


def allowed() -> tuple[np.ndarray, np.ndarray]:
    """BIO constraints: (K x K transitions allowed from -> to, K tags allowed at the start)."""
    K = len(TAGS)
    trans = np.ones((K, K), dtype=bool)
    start = np.ones(K, dtype=bool)
    for j, t in enumerate(TAGS):
        if t.startswith("I-"):
            start[j] = False
            for i, s in enumerate(TAGS):
                trans[i, j] = s[2:] == t[2:]
    return trans, start


def viterbi(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """Best tag path of one sentence: emissions (T x K), transition scores (K x K, constraints already
    added), start and end scores (K)."""
    T = em.shape[0]
    score = start + em[0]
    back = np.empty((T, em.shape[1]), dtype=np.int64)
    for t in range(1, T):
        s = score[:, None] + trans
        back[t] = s.argmax(0)
        score = s.max(0) + em[t]
    score = score + end
    best = [int(score.argmax())]
    for t in range(T - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return best[::-1]


class Encoder:
    """Raw tokens -> integer inputs of the network; everything per word type is cached."""

    def __init__(self, vocab: list[str], train_words: collections.Counter, chars: collections.Counter,
                 res: Resources, min_count: int = 2):
        self.words = ["<pad>", "<unk>"] + list(vocab)
        seen = set(self.words)
        extra = sorted(w for w, c in train_words.items() if c >= min_count and w not in seen)
        self.n_pretrained = len(self.words)
        self.words += extra
        self.word_id = {w: i for i, w in enumerate(self.words)}
        self.chars = ["<pad>", "<unk>", "<w>", "</w>"] + sorted(c for c, n in chars.items() if n >= 2)
        self.char_id = {c: i for i, c in enumerate(self.chars)}
        self.shapes = ["<unk>"] + sorted({"empty", "ar", "armix", "num", "nummix", "LAT", "Lat", "lat", "sym"}
                                         | {"p" + c for c in ".,:;!?()[]\"'-/«»،؛؟%"} | {"p,", "p;", "p?"})
        self.shape_id = {s: i for i, s in enumerate(self.shapes)}
        self.pros = ["<unk>", "", "و", "ف", "ال", "وال", "فال", "بال", "لل", "كال", "وبال", "ولل", "فبال", "فلل",
                     "وكال", "فكال"]
        self.pro_id = {p: i for i, p in enumerate(self.pros)}
        self.res = res
        self._fx = FeatureExtractor(res)  # its multi-word gazetteer matcher reads (norm, gazetteer entries) pairs
        self._cache: dict[str, tuple] = {}

    def _type(self, tok: str) -> tuple:
        norm = normalize(tok)
        pro, core = core_of(norm)
        wid = self.word_id.get(norm)
        if wid is None and core != norm:
            wid = self.word_id.get(core)
        kl = self.res.clusters.get(norm)
        if kl is None and core != norm:
            kl = self.res.clusters.get(core)
        cl = (int(kl[0]) + 1, int(kl[1]) + 1, int(kl[2]) + 1) if kl else (0, 0, 0)
        cs = list(tok)
        if len(cs) > MAX_CHARS:
            cs = cs[:MAX_CHARS // 2] + cs[-MAX_CHARS // 2:]
        cids = [2] + [self.char_id.get(c, 1) for c in cs] + [3]
        return (norm, self._fx.gazetteer_entries(norm), wid if wid is not None else 1, cl,
                self.shape_id.get(shape_of(tok), 0), self.pro_id.get(pro, 0), cids)

    def get(self, tok: str) -> tuple:
        t = self._cache.get(tok)
        if t is None:
            t = self._cache[tok] = self._type(tok)
        return t

    def gazetteer_tags(self, infos) -> list[int]:
        return [GAZ.index(g) for g in self._fx.gazetteer_tags(infos)]

    def sentence(self, tokens) -> dict:
        infos = [self.get(t) for t in tokens]
        return {"word": np.array([i[2] for i in infos], dtype=np.int64),
                "clus": np.array([i[3] for i in infos], dtype=np.int64).reshape(-1, 3),
                "shape": np.array([i[4] for i in infos], dtype=np.int64),
                "pro": np.array([i[5] for i in infos], dtype=np.int64),
                "gaz": np.array(self.gazetteer_tags(infos), dtype=np.int64),
                "chars": [i[6] for i in infos]}


def build_net(enc: Encoder, vectors: np.ndarray | None, cfg: dict):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            wdim = vectors.shape[1] if vectors is not None else cfg["word_dim"]
            self.emb_word = nn.Embedding(len(enc.words), wdim, padding_idx=0)
            with torch.no_grad():
                w = torch.randn(len(enc.words), wdim) * 0.1
                if vectors is not None:
                    w[2:enc.n_pretrained] = torch.from_numpy(np.asarray(vectors, dtype=np.float32))
                w[0] = 0
                self.emb_word.weight.copy_(w)
            if cfg.get("freeze_words"):
                self.emb_word.weight.requires_grad_(False)
            din = wdim
            if cfg["chars"]:
                self.emb_char = nn.Embedding(len(enc.chars), cfg["char_dim"], padding_idx=0)
                self.conv = nn.Conv1d(cfg["char_dim"], cfg["char_filters"], 3, padding=1)
                din += cfg["char_filters"]
            if cfg["feats"]:
                self.emb_c1 = nn.Embedding(33, 8)
                self.emb_c2 = nn.Embedding(257, 16)
                self.emb_c3 = nn.Embedding(2049, 32)
                self.emb_shape = nn.Embedding(len(enc.shapes), 8)
                self.emb_pro = nn.Embedding(len(enc.pros), 8)
                self.emb_gaz = nn.Embedding(len(GAZ), 8)
                din += 8 + 16 + 32 + 8 + 8 + 8
            self.drop = nn.Dropout(cfg["dropout"])
            self.lstm = nn.LSTM(din, cfg["hidden"], batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * cfg["hidden"], len(TAGS))
            K = len(TAGS)
            self.trans = nn.Parameter(torch.zeros(K, K))
            self.start = nn.Parameter(torch.zeros(K))
            self.end = nn.Parameter(torch.zeros(K))
            a_tr, a_st = allowed()
            self.register_buffer("mask_tr", torch.from_numpy(np.where(a_tr, 0.0, NEG).astype(np.float32)))
            self.register_buffer("mask_st", torch.from_numpy(np.where(a_st, 0.0, NEG).astype(np.float32)))

        def type_input(self, b):
            """The part of a token's input that depends on the word type only."""
            parts = [self.emb_word(b["word"])]
            if cfg["chars"]:
                B, T, L = b["chars"].shape
                c = self.emb_char(b["chars"].view(B * T, L)).transpose(1, 2)
                h = self.conv(c)  # (BT, F, L)
                valid = b["chars"].view(B * T, 1, L) > 0
                h = torch.where(valid, h, torch.full_like(h, NEG)).max(2).values
                parts.append(torch.tanh(h).view(B, T, -1))
            if cfg["feats"]:
                cl = b["clus"]
                parts += [self.emb_c1(cl[..., 0]), self.emb_c2(cl[..., 1]), self.emb_c3(cl[..., 2]),
                          self.emb_shape(b["shape"]), self.emb_pro(b["pro"])]
            return parts

        def emissions(self, b):
            parts = self.type_input(b)
            if cfg["feats"]:
                parts.append(self.emb_gaz(b["gaz"]))
            x = self.drop(torch.cat(parts, -1))
            packed = nn.utils.rnn.pack_padded_sequence(x, b["lens"], batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            return self.out(self.drop(h))

        def crf_params(self):
            return self.trans + self.mask_tr, self.start + self.mask_st, self.end

        def nll(self, b):
            em = self.emissions(b)
            trans, start, end = self.crf_params()
            mask = b["mask"]
            y = b["tags"]
            B, T, _ = em.shape
            # partition function
            alpha = start + em[:, 0]
            for t in range(1, T):
                nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0) + em[:, t].unsqueeze(1), dim=1)
                alpha = torch.where(mask[:, t:t + 1], nxt, alpha)
            logz = torch.logsumexp(alpha + end, dim=1)
            # gold path
            ar = torch.arange(B)
            gold = start[y[:, 0]] + em[ar, 0, y[:, 0]]
            for t in range(1, T):
                s = trans[y[:, t - 1], y[:, t]] + em[ar, t, y[:, t]]
                gold = gold + torch.where(mask[:, t], s, torch.zeros_like(s))
            last = y[ar, b["lens"] - 1]
            gold = gold + end[last]
            return (logz - gold).sum()

    return Net()


def collate(items: list[dict], train: bool = False, word_dropout: float = 0.0, rng=None) -> dict:
    import torch

    B = len(items)
    lens = [len(it["word"]) for it in items]
    T = max(lens)
    L = max(len(c) for it in items for c in it["chars"])
    word = np.zeros((B, T), dtype=np.int64)
    clus = np.zeros((B, T, 3), dtype=np.int64)
    shape = np.zeros((B, T), dtype=np.int64)
    pro = np.zeros((B, T), dtype=np.int64)
    gaz = np.zeros((B, T), dtype=np.int64)
    chars = np.zeros((B, T, L), dtype=np.int64)
    tags = np.zeros((B, T), dtype=np.int64)
    for i, it in enumerate(items):
        n = lens[i]
        word[i, :n] = it["word"]
        clus[i, :n] = it["clus"]
        shape[i, :n] = it["shape"]
        pro[i, :n] = it["pro"]
        gaz[i, :n] = it["gaz"]
        for j, c in enumerate(it["chars"]):
            chars[i, j, :len(c)] = c
        if "tags" in it:
            tags[i, :n] = it["tags"]
    if train and word_dropout > 0:
        drop = (rng.random_sample(word.shape) < word_dropout) & (word > 0)
        word[drop] = 1
    lens_t = torch.tensor(lens, dtype=torch.int64)
    return {"word": torch.from_numpy(word), "clus": torch.from_numpy(clus), "shape": torch.from_numpy(shape),
            "pro": torch.from_numpy(pro), "gaz": torch.from_numpy(gaz), "chars": torch.from_numpy(chars),
            "tags": torch.from_numpy(tags), "lens": lens_t,
            "mask": torch.arange(T).unsqueeze(0) < lens_t.unsqueeze(1)}


def batches(n_items: int, lengths: list[int], size: int, rng) -> list[list[int]]:
    """Shuffled batches of similar lengths (shuffle, sort within pools of 50 batches, shuffle batches)."""
    idx = rng.permutation(n_items)
    out = []
    pool = size * 50
    for k in range(0, n_items, pool):
        chunk = sorted(idx[k:k + pool], key=lambda i: (lengths[i], i))
        out += [chunk[j:j + size] for j in range(0, len(chunk), size)]
    order = rng.permutation(len(out))
    return [out[i] for i in order]


def _emissions(net, items: list[dict], batch: int):
    """(index, emission scores of that sentence, CRF parameters) for every item, in batches of similar
    length; the scores as float64 numpy arrays."""
    import torch

    net.eval()
    order = sorted(range(len(items)), key=lambda i: len(items[i]["word"]))
    with torch.no_grad():
        crf = tuple(p.detach().numpy().astype(np.float64) for p in net.crf_params())
        for k in range(0, len(order), batch):
            ids = order[k:k + batch]
            em = net.emissions(collate([items[i] for i in ids])).numpy().astype(np.float64)
            for j, i in enumerate(ids):
                yield i, em[j, :len(items[i]["word"])], crf


def predict(net, items: list[dict], batch: int = 64) -> list[list[str]]:
    res: list = [None] * len(items)
    for i, em, crf in _emissions(net, items, batch):
        res[i] = [TAGS[t] for t in viterbi(em, *crf)]
    return res


def train_net(enc, vectors, items, cfg, epochs, seed, dev_items=None, dev_gold=None, evaluate=None, log=print):
    """Trains for `epochs` epochs; with dev_items, scores them after each epoch. Returns (net, per-epoch
    F1 list, seconds)."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    net = build_net(enc, vectors, cfg)
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=cfg["lr"])
    lengths = [len(it["word"]) for it in items]
    hist = []
    t0 = time.time()
    for ep in range(1, epochs + 1):
        net.train()
        tot = 0.0
        for bidx in batches(len(items), lengths, cfg["batch"], rng):
            b = collate([items[i] for i in bidx], train=True, word_dropout=cfg["word_dropout"], rng=rng)
            opt.zero_grad()
            loss = net.nll(b)
            (loss / len(bidx)).backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), cfg["clip"])
            opt.step()
            tot += float(loss.detach())
        msg = f"    epoch {ep}: loss {tot / sum(lengths):.4f} ({time.time() - t0:.0f}s)"
        if dev_items is not None:
            ev = evaluate(dev_gold, predict(net, dev_items))
            hist.append(ev["overall"]["F1"])
            msg += f"  inner F1 {ev['overall']['F1'] * 100:.2f}"
        log(msg)
        if hist and len(hist) - 1 - max(range(len(hist)), key=lambda i: (hist[i], -i)) >= cfg["patience"]:
            break  # no gain on the inner split for `patience` epochs
    return net, hist, time.time() - t0


def run_design(name: str, design: dict, train: list, dev: list, res: Resources, vectors_fn, evaluate,
               model_path, log=print) -> dict:
    """The neural design `name` on the fixed split: epoch count picked on the inner split of `train`,
    retrained on all of `train`, scored once on `dev`. Returns the same record as a CRF design."""
    import torch

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    cfg = dict(NN_DEFAULTS, **design.get("nn", {}))
    vocab, vectors = vectors_fn(cfg["vocab"])
    if not cfg["pretrained"]:
        vectors = None
        vocab = []
    train_words = collections.Counter(normalize(t) for s in train for t, _ in s)
    chars = collections.Counter(c for s in train for t, _ in s for c in t)
    enc = Encoder(vocab, train_words, chars, res)

    def items_of(sents, with_tags=True):
        out = []
        for s in sents:
            it = enc.sentence([t for t, _ in s])
            if with_tags:  # 13 stray I- tags in ANERcorp's training part: read as B- (as conlleval does)
                it["tags"] = np.array([TAG_ID[t] for t in repair_bio([t for _, t in s])], dtype=np.int64)
            out.append(it)
        return out

    cut = len(train) - len(train) // 10
    inner_tr, inner_dev = train[:cut], train[cut:]
    log(f"  {name}: {cfg}; words {len(enc.words)} ({enc.n_pretrained - 2} pretrained), chars {len(enc.chars)}")
    t0 = time.time()
    _, hist, _ = train_net(enc, vectors, items_of(inner_tr), cfg, cfg["max_epochs"], cfg["seed"],
                           items_of(inner_dev, False), [[t for _, t in s] for s in inner_dev], evaluate, log)
    best_ep = max(range(len(hist)), key=lambda i: (hist[i], -i)) + 1
    log(f"  inner split: best epoch {best_ep} (F1 {hist[best_ep - 1] * 100:.2f}); retraining on all {len(train)} sentences")
    net, _, dt = train_net(enc, vectors, items_of(train), cfg, best_ep, cfg["seed"], log=log)
    total_dt = time.time() - t0
    dev_items = items_of(dev, False)
    pred = predict(net, dev_items)
    ev = evaluate([[t for _, t in s] for s in dev], pred)
    torch.save({"state": net.state_dict(), "cfg": cfg, "words": enc.words, "chars": enc.chars,
                "n_pretrained": enc.n_pretrained}, model_path)
    n_params = sum(p.numel() for p in net.parameters())
    return {"design": name, "nn": cfg, "dev": ev, "train_seconds": round(total_dt, 1),
            "final_train_seconds": round(dt, 1), "inner_f1": hist, "epochs": best_ep,
            "train_sentences": len(train), "params": n_params,
            "model_bytes": n_params * 4, "pred": pred, "net": net, "enc": enc}


NN_DEFAULTS = {
    "vocab": 50000,  # words with pretrained vectors (the most frequent normalised news words)
    "pretrained": True,
    "freeze_words": False,
    "word_dim": 100,  # when not pretrained
    "chars": True,
    "char_dim": 25,
    "char_filters": 50,
    "feats": True,
    "hidden": 100,
    "dropout": 0.5,
    "word_dropout": 0.05,
    "lr": 1e-3,
    "batch": 16,
    "clip": 5.0,
    "max_epochs": 25,
    "patience": 5,  # stop the inner run after this many epochs without a better inner F1
    "seed": 20240601,
}


def forward_backward(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Token marginals P(tag at t) (T x K) of one sentence under the CRF."""
    from scipy.special import logsumexp

    T, K = em.shape
    a = np.empty((T, K))
    b = np.empty((T, K))
    a[0] = start + em[0]
    for t in range(1, T):
        a[t] = logsumexp(a[t - 1][:, None] + trans, axis=0) + em[t]
    b[T - 1] = end
    for t in range(T - 2, -1, -1):
        b[t] = logsumexp(trans + (em[t + 1] + b[t + 1])[None, :], axis=1)
    logz = logsumexp(a[T - 1] + end)
    return np.exp(a + b - logz)


def load_design(path, design: dict, train: list, res: Resources, vectors_fn):
    """A neural design saved by run_design, with its encoder rebuilt from the same training data."""
    import torch

    saved = torch.load(path, weights_only=False)
    cfg = saved["cfg"]
    vocab, vectors = vectors_fn(cfg["vocab"]) if cfg["pretrained"] else ([], None)
    train_words = collections.Counter(normalize(t) for s in train for t, _ in s)
    chars = collections.Counter(c for s in train for t, _ in s for c in t)
    enc = Encoder(vocab, train_words, chars, res)
    if enc.words != saved["words"] or enc.chars != saved["chars"]:
        raise RuntimeError(f"{path}: the vocabulary differs from the one it was trained with")
    net = build_net(enc, vectors, cfg)
    net.load_state_dict(saved["state"])
    net.eval()
    return net, enc


def marginals(net, enc: Encoder, sents: list[list[str]], batch: int = 64) -> list[np.ndarray]:
    items = [enc.sentence(s) for s in sents]
    res: list = [None] * len(items)
    for i, em, crf in _emissions(net, items, batch):
        res[i] = forward_backward(em, *crf)
    return res


def crf_marginals(model_path, xs: list) -> list[np.ndarray]:
    """Token marginals of a CRFsuite model, in TAGS order."""
    import pycrfsuite

    tg = pycrfsuite.Tagger()
    tg.open(str(model_path))
    out = []
    for x in xs:
        tg.set(x)
        out.append(np.array([[tg.marginal(y, t) for y in TAGS] for t in range(len(x))]))
    tg.close()
    return out


def decode_marginals(ms: list[np.ndarray]) -> list[list[str]]:
    """Best BIO-valid path through averaged token marginals (max of summed log marginals)."""
    a_tr, a_st = allowed()
    trans = np.where(a_tr, 0.0, NEG)
    start = np.where(a_st, 0.0, NEG)
    end = np.zeros(len(TAGS))
    return [[TAGS[t] for t in viterbi(np.log(np.maximum(m, 1e-12)), trans, start, end)] for m in ms]


def export_npz(net, enc: Encoder, path) -> None:
    """The weights the numpy tagger needs (word embeddings in float16), compressed."""
    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    trans, start, end = (p.detach().numpy() for p in net.crf_params())

    def strings(xs):
        return np.frombuffer("\n".join(xs).encode("utf-8"), dtype=np.uint8)

    arrs = {"words": strings(enc.words), "chars": strings(enc.chars), "shapes": strings(enc.shapes),
            "pros": strings(enc.pros), "emb_word": sd["emb_word.weight"].astype(np.float16),
            "w_ih_f": sd["lstm.weight_ih_l0"], "w_hh_f": sd["lstm.weight_hh_l0"],
            "b_f": sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
            "w_ih_b": sd["lstm.weight_ih_l0_reverse"], "w_hh_b": sd["lstm.weight_hh_l0_reverse"],
            "b_b": sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"],
            "w_out": sd["out.weight"], "b_out": sd["out.bias"], "trans": trans, "start": start, "end": end}
    if "emb_char.weight" in sd:
        arrs.update(emb_char=sd["emb_char.weight"], conv_w=sd["conv.weight"], conv_b=sd["conv.bias"])
    if "emb_c1.weight" in sd:
        arrs.update(emb_c1=sd["emb_c1.weight"], emb_c2=sd["emb_c2.weight"], emb_c3=sd["emb_c3.weight"],
                    emb_shape=sd["emb_shape.weight"], emb_pro=sd["emb_pro.weight"], emb_gaz=sd["emb_gaz.weight"])
    with open(path, "wb") as f:
        np.savez_compressed(f, **arrs)
