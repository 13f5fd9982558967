// One render batch's takes under its progress bar, filling in as each finishes (one message for the whole batch).
// Props: {takes: [{code, label, name, image | video}], total}.
export default function TakeGrid() {
  const takes = props.takes || [];
  const waiting = Math.max(0, (props.total || 0) - takes.length);
  const cell = { border: "1px solid hsl(var(--border))", borderRadius: 6, overflow: "hidden", fontSize: 11 };
  const media = { width: "100%", aspectRatio: "16 / 9", objectFit: "cover", display: "block",
    background: "hsl(var(--muted))" };
  return (
    <div className="auteur-view auteur-takegrid"
      style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(130px, 1fr))", gap: 6 }}>
      {takes.map((t) => (
        <figure key={t.name} style={{ ...cell, margin: 0 }} data-take={t.name}>
          {t.video ? <video src={t.video} style={media} muted loop playsInline preload="metadata" />
            : t.image ? <img src={t.image} alt={t.name} style={media} loading="lazy" /> : <div style={media} />}
          <figcaption style={{ padding: "2px 6px" }}><strong>{t.code}</strong> {t.name.replace(/^.*_take/, "take ")
            .replace(/\.[a-z0-9]+$/, "")}</figcaption>
        </figure>
      ))}
      {Array.from({ length: Math.min(waiting, 48) }).map((_, i) => (
        <div key={`w${i}`} style={{ ...cell, ...media, opacity: 0.4 }} aria-hidden="true" />
      ))}
    </div>
  );
}
