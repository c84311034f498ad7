/*
 * Search worker for the knowledge base: Material for MkDocs' search protocol over the sharded
 * index that peerkb/search_index.py writes to search/peerkb/.
 *
 * Material's page code (search box, results list, keyboard shortcuts, suggestions, highlighting)
 * talks to a worker through four messages: SETUP (with the search config), READY, QUERY (the
 * text typed) and RESULT (items grouped by page). Material's own worker builds a Lunr index of the
 * whole site in the browser on every page; this one is ready at once and fetches, for each query,
 * only the term shards of its words' first two letters and the page blocks of the results shown.
 *
 * Material inserts a result's title and text as HTML, and every string in the index comes from
 * the library (untrusted), so all of it is escaped here before <mark> is added around matches.
 *
 * fold(), terms() and stem() must turn text into terms exactly as search_index.py does.
 */
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
// Pages a result list shows; a reader refines the query rather than scroll past this many.
// Results spread over the page blocks, so each one shown costs a request.
const MAX_PAGES = 50;
// Pages in the first answer: Material shows ten before the reader scrolls.
const FIRST_PAGES = 10;
// Below this many pages with every word, pages with some of the words follow (words missing
// are struck through by Material, as with its own search).
const FEW_COMPLETE = 10;
// A word typed in part counts less than the whole word.
const PREFIX_FACTOR = 0.6;

const LETTERS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                 "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t"};
const WORD = /[\p{L}\p{N}]+/gu;
const SHOWN_WORD = /[\p{L}\p{N}\p{M}]+/gu;

let manifest = null;
let folder = null;
let stopWords = new Set();
let shardKeys = new Set();
let suggest = false;
let latestQuery = 0;
const shards = new Map();
const blocks = new Map();

function fold(text) {
  return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
    .replace(/[ßæœøłđðþıħŧ]/g, letter => LETTERS[letter]);
}

function stem(word) {
  if (word.length > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
  if (word.length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

function terms(text) {
  return (fold(text).match(WORD) || []).filter(word => !stopWords.has(word)).map(stem);
}

function shardKey(term) {
  const prefix = Array.from(term).slice(0, 2).join("");
  return Array.from(new TextEncoder().encode(prefix), b => b.toString(16).padStart(2, "0")).join("");
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
}

async function fetchJson(name, cache) {
  if (!cache.has(name)) {
    const url = new URL(`${name}?v=${manifest.version}`, folder);
    // Cached as a promise, so two queries needing one file fetch it once.
    cache.set(name, fetch(url).then(response => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response.json();
    }).catch(error => {
      cache.delete(name);
      throw error;
    }));
  }
  return cache.get(name);
}

function shard(term) {
  const key = shardKey(term);
  return shardKeys.has(key) ? fetchJson(`terms-${key}.json`, shards) : Promise.resolve({});
}

async function documents(ids) {
  const wanted = [...new Set(ids.map(id => Math.floor(id / manifest.docsPerFile)))];
  const loaded = await Promise.all(wanted.map(n => fetchJson(`docs-${n}.json`, blocks)));
  const byId = new Map();
  wanted.forEach((n, i) => loaded[i].forEach((doc, j) => byId.set(n * manifest.docsPerFile + j, doc)));
  return byId;
}

/* The query's words: what Material shows (key) and the term looked up, stop words dropped. */
function queryWords(query) {
  const seen = new Set();
  const words = [];
  for (const key of fold(query).match(WORD) || []) {
    const term = stem(key);
    if (stopWords.has(key) || seen.has(term)) continue;
    seen.add(term);
    words.push({key, term});
  }
  return words;
}

/* Page id to score for one word: its best match (whole word, or a word it begins) weighed by rarity. */
function scoresFor(word, found) {
  const scores = new Map();
  for (const [term, postings] of Object.entries(found)) {
    const whole = term === word.term || term === word.key;
    // One-letter words match whole words only: "a" would otherwise match half the index.
    if (!whole && (word.term.length < 2 || !term.startsWith(word.term))) continue;
    const pages = postings.length / 2;
    const rarity = Math.log(1 + manifest.documents / pages) / manifest.rarityBase;
    const factor = (whole ? 1 : PREFIX_FACTOR) * (0.5 + rarity);
    let id = 0;
    for (let i = 0; i < postings.length; i += 2) {
      id += postings[i];
      const score = postings[i + 1] * factor;
      if ((scores.get(id) || 0) < score) scores.set(id, score);
    }
  }
  return scores;
}

function completion(query, word, found) {
  const typed = query.split(/[\s-]+/).pop();
  if (!typed || fold(typed) !== typed.toLowerCase() || fold(typed) !== word.key) return [];
  let best = null;
  for (const [term, postings] of Object.entries(found))
    if (term.length > word.key.length && term.startsWith(word.key) && (!best || postings.length > best[1]))
      best = [term, postings.length];
  return best ? [typed + best[0].slice(word.key.length)] : [];
}

/* Text with the words that match the query in <mark>, everything escaped. */
function highlight(text, words) {
  let html = "";
  let last = 0;
  for (const match of text.matchAll(SHOWN_WORD)) {
    const folded = fold(match[0]);
    const hit = words.some(w => folded === w.key || stem(folded) === w.term ||
                                (w.key.length > 1 && folded.startsWith(w.key)));
    html += escapeHtml(text.slice(last, match.index));
    html += hit ? `<mark>${escapeHtml(match[0])}</mark>` : escapeHtml(match[0]);
    last = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

/*
 * The result of a query, in Material's form. `early` receives a first answer with the best
 * FIRST_PAGES pages as soon as their blocks are in (Material shows ten results before the reader
 * scrolls), while the blocks of the rest are fetched; the returned answer has them all.
 */
async function search(query, early) {
  const words = queryWords(query);
  if (!words.length) return {items: []};
  const found = await Promise.all(words.map(word => shard(word.term)));
  const perWord = words.map((word, i) => scoresFor(word, found[i]));
  const totals = new Map();
  perWord.forEach(scores => scores.forEach((score, id) => {
    const [sum, count] = totals.get(id) || [0, 0];
    totals.set(id, [sum + score, count + 1]);
  }));
  const ranked = [...totals].map(([id, [score, count]]) => ({id, score, count}));
  const complete = ranked.filter(r => r.count === words.length);
  const chosen = complete.length >= FEW_COMPLETE ? complete : ranked;
  // Every word first, then more of the words, then the score; earlier pages win ties.
  chosen.sort((a, b) => b.count - a.count || b.score - a.score || a.id - b.id);
  const extra = suggest ? {suggest: completion(query, words[words.length - 1], found[found.length - 1])} : {};

  // Sections are shown under their page: take results until the pages are filled, fetching the
  // page blocks of the next results only while pages are still missing.
  let docs = new Map();
  const groups = new Map();
  let next = 0;
  const fill = async limit => {
    while (groups.size < limit && next < chosen.length) {
      const batch = chosen.slice(next, next + limit - groups.size);
      next += batch.length;
      docs = new Map([...docs, ...await documents(batch.map(r => r.id))]);
      for (const r of batch) {
        const doc = docs.get(r.id);
        const page = doc[3] >= 0 ? doc[3] : r.id;
        if (!groups.has(page)) {
          if (groups.size === MAX_PAGES) continue;
          groups.set(page, []);
        }
        groups.get(page).push(r);
      }
    }
    const parents = [...groups.keys()].filter(page => !docs.has(page));
    if (parents.length) docs = new Map([...docs, ...await documents(parents)]);
  };
  const item = (id, score, matched) => {
    const [location, title, text] = docs.get(id);
    const terms = {};
    // A page added only as the heading of its matching sections has no terms, as in Material.
    if (matched) words.forEach((word, i) => { terms[word.key] = perWord[i].has(id); });
    return {location, title: highlight(title, words), text: highlight(text, words), score, terms};
  };
  const answer = () => {
    const items = [];
    for (const [page, results] of groups) {
      const group = results.map(r => item(r.id, r.score, true));
      if (!results.some(r => r.id === page)) group.push(item(page, 0, false));
      items.push(group);
    }
    return {items, ...extra};
  };
  await fill(FIRST_PAGES);
  if (groups.size < FIRST_PAGES || next >= chosen.length) return answer();
  early(answer());
  await fill(MAX_PAGES);
  return answer();
}

async function handle(message) {
  switch (message.type) {
    case SETUP:
      manifest = message.data.config.peerkb;
      folder = new URL("../../search/peerkb/", self.location.href);
      stopWords = new Set(manifest.stopWords);
      shardKeys = new Set(manifest.shards);
      suggest = Boolean(message.data.options && message.data.options.suggest);
      return {type: READY};
    case QUERY: {
      const asked = ++latestQuery;
      // Typing sends a query per key; an answer overtaken by a newer query is dropped.
      const early = data => { if (asked === latestQuery) postMessage({type: RESULT, data}); };
      let data;
      try {
        data = await search(String(message.data), early);
      } catch (error) {
        console.warn("Search failed:", error);
        data = {items: []};
      }
      // Material ignores `complete`; tests and the benchmark tell the last answer by it.
      return asked === latestQuery ? {type: RESULT, data: {...data, complete: true}} : null;
    }
    default:
      throw new TypeError("Invalid message type");
  }
}

addEventListener("message", async event => {
  const answer = await handle(event.data);
  if (answer) postMessage(answer);
});
