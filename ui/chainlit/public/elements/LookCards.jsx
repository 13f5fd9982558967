// The look as cards: the style capsule, then each character, location and prop.
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

function Item({ title, image, lines }) {
  return (
    <Card style={{ overflow: "hidden" }}>
      {image ? <img src={image} alt={title} style={{ width: "100%", aspectRatio: "4 / 3", objectFit: "cover" }} />
        : null}
      <CardHeader style={{ padding: "8px 10px 2px" }}><CardTitle style={{ fontSize: 14 }}>{title}</CardTitle>
      </CardHeader>
      <CardContent style={{ padding: "2px 10px 10px", fontSize: 12, display: "flex", flexDirection: "column",
        gap: 3 }}>
        {lines.filter(([, v]) => v != null && v !== "").map(([k, v]) => (
          <div key={k}><span style={{ opacity: 0.7 }}>{k}: </span>{Array.isArray(v) ? v.join(", ") : String(v)}</div>
        ))}
      </CardContent>
    </Card>
  );
}

function Group({ title, children }) {
  if (!children.length) return null;
  return (
    <section>
      <div style={{ fontWeight: 600, fontSize: 13, margin: "6px 0" }}>{title}</div>
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(190px, 1fr))", gap: 8 }}>
        {children}</div>
    </section>
  );
}

export default function LookCards() {
  const style = props.style || {};
  const characters = props.characters || [];
  const locations = props.locations || [];
  const things = props.props || [];
  return (
    <div className="auteur-view auteur-look" style={{ display: "flex", flexDirection: "column", gap: 6 }}>
      <Group title="Style">{Object.keys(style).length
        ? [<Item key="style" title="Style capsule" lines={Object.entries(style)} />] : []}</Group>
      <Group title="Characters">{characters.map((c) => <Item key={c.name} title={c.name} image={c.image}
        lines={[["look", c.visual], ["wardrobe", c.wardrobe]]} />)}</Group>
      <Group title="Locations">{locations.map((l) => <Item key={l.name} title={l.name} image={l.image}
        lines={[["description", l.description]]} />)}</Group>
      <Group title="Props">{things.map((t) => <Item key={t.name} title={t.name}
        lines={[["description", t.description]]} />)}</Group>
    </div>
  );
}
