// The latest cut in a player, its shots as markers on a timeline bar, and its review notes. "Add note" sends
// /note <seconds>s <text> at the player's current time; the studio attaches it to the shot there, classifies it and
// asks the agent who owns it for a fix (/fix ID carries it out).
import { useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

const run = (command) => callAction({ name: "auteur_view", payload: { command } });

function clock(seconds) {
  const s = Math.max(0, Number(seconds) || 0);
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, "0")}`;
}

// The notes of an earlier version of the cut, folded: "3 notes on v1 (2 done)", opened to read them.
function Earlier({ cut }) {
  const notes = cut.notes || [];
  const done = notes.filter((n) => n.status === "done").length;
  return (
    <details data-earlier={cut.version} style={{ fontSize: 12 }}>
      <summary style={{ cursor: "pointer" }}>{notes.length} {notes.length === 1 ? "note" : "notes"} on
        v{cut.version} ({done} done)</summary>
      {notes.map((n) => (
        <div key={n.id} style={{ padding: "3px 0 3px 10px", borderLeft: "2px solid hsl(var(--border))" }}>
          <strong>{n.id} {n.code}</strong> <span style={{ opacity: 0.75 }}>{n.category} → {n.agent} · {n.status}</span>
          <div>{n.text}</div>
          {n.result ? <div style={{ opacity: 0.85 }}>Done: {n.result}</div> : null}
        </div>
      ))}
    </details>
  );
}

export default function Review() {
  const cut = props.cut || {};
  const markers = props.markers || [];
  const notes = props.notes || [];
  const duration = Number(cut.duration) || markers.reduce((end, m) => Math.max(end, m.end || 0), 0) || 1;
  // Where the person was in this cut: kept on the page, so that a redrawn view (a note added) plays on from there.
  const places = (window.auteurReviewPlaces = window.auteurReviewPlaces || {});
  const place = `cut-${cut.version}`;
  const player = useRef(null);
  // Until the player has its place back, the time it reports (0 while a redrawn player loads) is not the person's.
  const ready = useRef(false);
  const [now, setNow] = useState(places[place] || 0);
  const [text, setText] = useState("");
  useEffect(() => setText(""), [notes.length]);
  const keep = (t) => { places[place] = t; setNow(t); };
  const follow = (e) => { if (ready.current) keep(e.currentTarget.currentTime); };
  const seek = (t) => { if (player.current) player.current.currentTime = t; keep(t); };
  const restore = (e) => {
    if (places[place]) e.currentTarget.currentTime = places[place];
    ready.current = true;
  };
  const earlier = props.earlier || []; // the notes of the cut's earlier versions: [{version, notes}]
  // A note made on a shot (not at a time) sits at the start of that shot.
  const atOf = (n) => (n.at != null ? Number(n.at) : ((markers.find((m) => m.code === n.code) || {}).start || 0));
  const here = markers.find((m) => now >= m.start && now < m.end) || markers[markers.length - 1];
  const add = () => {
    const words = text.replace(/\s+/g, " ").trim();
    if (words) run(`/note ${now.toFixed(1)}s ${words}`);
  };
  if (!cut.video) {
    return (
      <div className="auteur-view" style={{ display: "flex", flexDirection: "column", gap: 8 }}>
        <div>No cut yet: /render cut assembles one.</div>
      </div>);
  }
  return (
    <div className="auteur-view auteur-review" style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <div style={{ display: "flex", gap: 8, alignItems: "center" }}>
        <strong style={{ fontSize: 16 }}>Cut {cut.version != null ? `v${cut.version}` : ""}</strong>
        <span style={{ opacity: 0.7, fontSize: 12 }}>{clock(duration)} · {markers.length} shots · {notes.length} notes
        </span>
      </div>
      <video ref={player} src={cut.video} controls preload="metadata" aria-label="The cut"
        style={{ width: "100%", background: "#000", borderRadius: 6 }}
        onLoadedMetadata={restore} onTimeUpdate={follow} onSeeked={follow} />
      <div aria-label="Timeline" style={{ position: "relative", height: 34, borderRadius: 4,
        background: "hsl(var(--muted))", overflow: "hidden" }}>
        {markers.map((m, i) => (
          <button key={m.code + i} type="button" title={`${m.code} ${clock(m.start)}–${clock(m.end)}`}
            data-marker={m.code} onClick={() => seek(m.start + 0.01)}
            style={{ position: "absolute", top: 0, bottom: 12, left: `${(m.start / duration) * 100}%`,
              width: `${((m.end - m.start) / duration) * 100}%`, fontSize: 9, overflow: "hidden", padding: "0 2px",
              borderLeft: "1px solid hsl(var(--background))", cursor: "pointer", color: "inherit",
              background: here && here.code === m.code ? "hsl(var(--primary) / 0.35)" : "transparent" }}>
            {(m.end - m.start) / duration > 0.045 ? m.code.replace(/^S0*(\d+)_SH0*(\d+)$/, "$1.$2") : ""}
          </button>
        ))}
        {notes.map((n) => (
          <span key={n.id} title={`${n.id}: ${n.text}`} style={{ position: "absolute", bottom: 0, width: 6, height: 10,
            left: `calc(${(atOf(n) / duration) * 100}% - 3px)`, borderRadius: 3,
            background: n.status === "done" ? "hsl(142 70% 45%)" : "hsl(38 92% 55%)" }} />
        ))}
        <span style={{ position: "absolute", top: 0, bottom: 0, width: 2, left: `${(now / duration) * 100}%`,
          background: "hsl(var(--foreground))" }} />
      </div>
      <span style={{ fontSize: 12 }} aria-label="Time code">{clock(now)}{here ? ` · ${here.code}` : ""}</span>
      <div style={{ display: "flex", gap: 6, alignItems: "center", flexWrap: "wrap" }}>
        <input aria-label="Note" placeholder="e.g. her coat should be red" title="A note at this moment" value={text}
          onChange={(e) => setText(e.target.value)} onKeyDown={(e) => { if (e.key === "Enter") add(); }}
          style={{ flex: "1 1 100%", minWidth: 0, fontSize: 13, padding: "5px 8px", borderRadius: 6,
            color: "inherit", border: "1px solid hsl(var(--border))", background: "hsl(var(--background))" }} />
        <Button size="sm" style={{ flexShrink: 0 }} onClick={add} disabled={!text.trim()}>
          Add note at {clock(now)}</Button>
      </div>
      <div style={{ display: "flex", flexDirection: "column", gap: 6 }}>
        {notes.map((n) => (
          <div key={n.id} data-note={n.id} style={{ border: "1px solid hsl(var(--border))", borderRadius: 6,
            padding: 6, fontSize: 12 }}>
            <div style={{ display: "flex", gap: 6, alignItems: "center", flexWrap: "wrap" }}>
              <a href="#" onClick={(e) => { e.preventDefault(); seek(atOf(n)); }}>{clock(atOf(n))}</a>
              <strong>{n.code}</strong><Badge variant="outline">{n.category}</Badge>
              <span style={{ opacity: 0.75 }}>→ {n.agent}</span>
              <Badge variant={n.status === "open" ? "secondary" : "default"}>{n.status}</Badge>
              {n.status === "open" ? <Button size="sm" style={{ marginLeft: "auto" }}
                onClick={() => run(`/fix ${n.id}`)}>Fix {n.id}</Button> : null}
            </div>
            <div style={{ marginTop: 2 }}>{n.text}</div>
            {n.proposal ? <div style={{ marginTop: 2, opacity: 0.85 }}>{n.agent}: {n.proposal}</div> : null}
            {n.result ? <div style={{ marginTop: 2, opacity: 0.85 }}>Done: {n.result}</div> : null}
          </div>
        ))}
      </div>
      {earlier.map((cut) => <Earlier key={cut.version} cut={cut} />)}
    </div>
  );
}
