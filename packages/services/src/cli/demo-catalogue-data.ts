import type { ListingFieldsInput } from "../catalogue/listing-input";

/**
 * The demo catalogue: a few hundred realistic listings for the two active demo sellers, generated
 * from product families × variants so that search, facets and price bands have something to show.
 * Deterministic (no randomness): a re-run produces the same rows, which the seed then finds
 * unchanged. Médina writes its catalogue in French, Rif in English, as real sellers would.
 */
export interface DemoListing extends Omit<ListingFieldsInput, "groupIds"> {
  sku: string;
  /** Category slug (the seed maps it to the category id). */
  category: string;
  /** Left as a draft, so the seller's listing page shows every state. */
  draft?: boolean;
  /** Visible only to these customer groups (by name). */
  groups?: string[];
}

interface Family {
  prefix: string;
  category: string;
  title: (variant: string, size: string) => string;
  description: string;
  unit: string;
  /** Price in cents of the first size; later sizes cost more. */
  basePrice: number;
  sizes: string[];
  variants: string[];
  attributes: (variant: string, size: string) => Record<string, string>;
  moq: number;
  leadTimeDays: number;
}

const MEDINA: Family[] = [
  {
    prefix: "PAP-A4",
    category: "office-paper",
    title: (v, s) => `Ramette papier A4 ${s} ${v}`,
    description: "Papier reprographique pour imprimantes laser et jet d'encre, 500 feuilles par ramette, certifié FSC.",
    unit: "ramette",
    basePrice: 429,
    sizes: ["75 g", "80 g", "90 g", "100 g"],
    variants: ["blanc", "blanc extra", "recyclé", "ivoire", "bleu pastel", "jaune pastel"],
    attributes: (v, s) => ({ format: "A4", grammage: s, couleur: v, feuilles: "500" }),
    moq: 5,
    leadTimeDays: 2,
  },
  {
    prefix: "PAP-A3",
    category: "office-paper",
    title: (v, s) => `Ramette papier A3 ${s} ${v}`,
    description: "Papier A3 pour plans, affiches et impressions grand format, 500 feuilles.",
    unit: "ramette",
    basePrice: 899,
    sizes: ["80 g", "90 g", "120 g"],
    variants: ["blanc", "recyclé", "couché mat"],
    attributes: (v, s) => ({ format: "A3", grammage: s, couleur: v, feuilles: "500" }),
    moq: 2,
    leadTimeDays: 3,
  },
  {
    prefix: "ENV",
    category: "office-paper",
    title: (v, s) => `Enveloppes ${s} ${v} (boîte de 500)`,
    description: "Enveloppes autocollantes à bande protectrice, pour courrier administratif et envois commerciaux.",
    unit: "boîte",
    basePrice: 1890,
    sizes: ["DL 110x220", "C5 162x229", "C4 229x324"],
    variants: ["blanches sans fenêtre", "blanches avec fenêtre", "kraft brun"],
    attributes: (v, s) => ({ format: s, type: v, quantité: "500" }),
    moq: 1,
    leadTimeDays: 2,
  },
  {
    prefix: "CHS",
    category: "office-furniture",
    title: (v, s) => `Chaise de bureau ergonomique ${s} ${v}`,
    description: "Siège de bureau avec soutien lombaire réglable, accoudoirs 3D et mécanisme synchrone. Garantie 5 ans.",
    unit: "pièce",
    basePrice: 18900,
    sizes: ["standard", "dossier haut", "résille"],
    variants: ["noir", "gris anthracite", "bleu marine", "rouge"],
    attributes: (v, s) => ({ modèle: s, couleur: v, garantie: "5 ans" }),
    moq: 1,
    leadTimeDays: 10,
  },
  {
    prefix: "BUR",
    category: "office-furniture",
    title: (v, s) => `Bureau droit ${s} ${v}`,
    description: "Bureau professionnel à piètement métal, plateau mélaminé 25 mm, passe-câbles intégré.",
    unit: "pièce",
    basePrice: 24900,
    sizes: ["120x80 cm", "140x80 cm", "160x80 cm", "180x80 cm"],
    variants: ["chêne clair", "blanc", "noyer"],
    attributes: (v, s) => ({ dimensions: s, finition: v, épaisseur: "25 mm" }),
    moq: 1,
    leadTimeDays: 14,
  },
  {
    prefix: "ESS",
    category: "cleaning-paper",
    title: (v, s) => `Essuie-mains ${v} ${s}`,
    description: "Essuie-mains en ouate pour distributeurs professionnels, doux et absorbant.",
    unit: "carton",
    basePrice: 3450,
    sizes: ["pliés en Z", "pliés en C", "rouleau 150 m", "rouleau 300 m"],
    variants: ["2 plis blanc", "1 pli naturel", "2 plis recyclé"],
    attributes: (v, s) => ({ pliage: s, qualité: v }),
    moq: 3,
    leadTimeDays: 4,
  },
  {
    prefix: "PT",
    category: "cleaning-paper",
    title: (v, s) => `Papier toilette ${v} ${s}`,
    description: "Papier hygiénique professionnel pour collectivités, hôtels et bureaux.",
    unit: "colis",
    basePrice: 2290,
    sizes: ["96 rouleaux", "48 rouleaux", "jumbo 12 rouleaux"],
    variants: ["2 plis", "3 plis", "2 plis recyclé"],
    attributes: (v, s) => ({ conditionnement: s, plis: v }),
    moq: 2,
    leadTimeDays: 4,
  },
  {
    prefix: "CAH",
    category: "office-paper",
    title: (v, s) => `Cahier ${s} ${v}`,
    description: "Cahier piqûre ou spirale, papier 90 g velouté, couverture polypro résistante.",
    unit: "lot de 10",
    basePrice: 1290,
    sizes: ["A5 96 pages", "A4 96 pages", "A4 192 pages", "24x32 96 pages", "A5 spirale 180 pages"],
    variants: ["petits carreaux", "grands carreaux", "ligné", "blanc uni", "quadrillé 5x5", "pointillé"],
    attributes: (v, s) => ({ format: s, réglure: v, papier: "90 g" }),
    moq: 2,
    leadTimeDays: 2,
  },
  {
    prefix: "CLA",
    category: "office-paper",
    title: (v, s) => `Classeur à levier ${s} ${v}`,
    description: "Classeur à levier carton recouvert polypropylène, étiquette de dos interchangeable.",
    unit: "lot de 10",
    basePrice: 2190,
    sizes: ["dos 50 mm", "dos 75 mm", "dos 80 mm"],
    variants: ["noir", "bleu", "rouge", "vert", "jaune", "gris", "orange", "violet"],
    attributes: (v, s) => ({ dos: s, couleur: v, format: "A4" }),
    moq: 1,
    leadTimeDays: 3,
  },
];

const RIF: Family[] = [
  {
    prefix: "BOX-SW",
    category: "packaging-boxes",
    title: (v, s) => `Single-wall cardboard box ${s} ${v}`,
    description: "Brown corrugated shipping box, single wall, for e-commerce and light industrial parcels. Sold in bundles of 25.",
    unit: "bundle",
    basePrice: 1150,
    sizes: ["200x150x100 mm", "300x200x150 mm", "400x300x200 mm", "500x400x300 mm", "600x400x400 mm"],
    variants: ["brown", "white", "printed fragile"],
    attributes: (v, s) => ({ dimensions: s, wall: "single", colour: v, "per bundle": "25" }),
    moq: 4,
    leadTimeDays: 3,
  },
  {
    prefix: "BOX-DW",
    category: "packaging-boxes",
    title: (v, s) => `Double-wall heavy-duty carton ${s} ${v}`,
    description: "Double-wall corrugated carton for heavy goods and export pallets. Sold in bundles of 15.",
    unit: "bundle",
    basePrice: 2450,
    sizes: ["400x300x300 mm", "500x400x400 mm", "600x500x400 mm", "800x600x600 mm"],
    variants: ["brown", "brown with handles"],
    attributes: (v, s) => ({ dimensions: s, wall: "double", style: v, "per bundle": "15" }),
    moq: 2,
    leadTimeDays: 5,
  },
  {
    prefix: "MAIL",
    category: "packaging-boxes",
    title: (v, s) => `Postal mailer box ${s} ${v}`,
    description: "Die-cut mailer box with tuck-in lid, no tape needed. Bundles of 50.",
    unit: "bundle",
    basePrice: 1890,
    sizes: ["A5", "A4", "A3"],
    variants: ["kraft", "white", "black"],
    attributes: (v, s) => ({ format: s, colour: v, "per bundle": "50" }),
    moq: 2,
    leadTimeDays: 4,
  },
  {
    prefix: "FILM",
    category: "packaging-film",
    title: (v, s) => `Stretch film ${s} ${v}`,
    description: "Cast stretch film for manual or machine pallet wrapping, high puncture resistance.",
    unit: "roll",
    basePrice: 1290,
    sizes: ["17 µm 450 mm", "20 µm 500 mm", "23 µm 500 mm", "30 µm 500 mm"],
    variants: ["clear", "black", "blue", "pre-stretched"],
    attributes: (v, s) => ({ gauge: s, colour: v, length: "300 m" }),
    moq: 6,
    leadTimeDays: 3,
  },
  {
    prefix: "BUBL",
    category: "packaging-film",
    title: (v, s) => `Bubble wrap roll ${s} ${v}`,
    description: "Protective air bubble film for fragile goods, glassware and electronics.",
    unit: "roll",
    basePrice: 1590,
    sizes: ["500 mm x 100 m", "750 mm x 100 m", "1200 mm x 100 m"],
    variants: ["small bubbles", "large bubbles", "anti-static"],
    attributes: (v, s) => ({ size: s, type: v }),
    moq: 2,
    leadTimeDays: 3,
  },
  {
    prefix: "TAPE",
    category: "packaging-film",
    title: (v, s) => `Packing tape ${s} ${v} (36 rolls)`,
    description: "Polypropylene packing tape with acrylic adhesive, quiet unwind. Case of 36 rolls.",
    unit: "case",
    basePrice: 3990,
    sizes: ["48 mm x 66 m", "50 mm x 100 m", "75 mm x 66 m"],
    variants: ["clear", "brown", "printed fragile", "low-noise"],
    attributes: (v, s) => ({ size: s, finish: v, "rolls per case": "36" }),
    moq: 1,
    leadTimeDays: 2,
  },
  {
    prefix: "PAD",
    category: "packaging-boxes",
    title: (v, s) => `Padded shipping envelope ${s} ${v} (100 pack)`,
    description: "Self-seal padded mailers for documents, books and small parts. Pack of 100.",
    unit: "pack",
    basePrice: 2890,
    sizes: ["A/000 110x160 mm", "C/0 150x210 mm", "D/1 180x260 mm", "E/2 220x260 mm", "G/4 240x330 mm", "H/5 270x360 mm"],
    variants: ["kraft bubble", "white bubble", "paper-padded recyclable", "silver foil"],
    attributes: (v, s) => ({ size: s, lining: v, "per pack": "100" }),
    moq: 1,
    leadTimeDays: 3,
  },
  {
    prefix: "KRAFT",
    category: "packaging-film",
    title: (v, s) => `Kraft wrapping paper roll ${s} ${v}`,
    description: "Recyclable kraft paper for void fill and wrapping, a plastic-free alternative to bubble film.",
    unit: "roll",
    basePrice: 2190,
    sizes: ["70 g 500 mm x 300 m", "70 g 1000 mm x 300 m", "90 g 750 mm x 250 m", "120 g 1000 mm x 200 m"],
    variants: ["brown", "white", "honeycomb", "ribbed"],
    attributes: (v, s) => ({ size: s, finish: v }),
    moq: 2,
    leadTimeDays: 4,
  },
];

/** Médina's group of hotel customers sees its hospitality range; Rif's partners see its export range. */
export const DEMO_GROUPS = {
  medina: { name: "Hôtellerie partenaires", members: ["Boréal Hôtels"] },
  rif: { name: "Export partners", members: ["Atlas Industrie"] },
} as const;

function euros(cents: number): string {
  return (cents / 100).toFixed(2);
}

function expand(families: Family[], group: string): DemoListing[] {
  const listings: DemoListing[] = [];
  for (const family of families) {
    family.sizes.forEach((size, si) => {
      family.variants.forEach((variant, vi) => {
        const price = Math.round(family.basePrice * (1 + si * 0.35) * (1 + vi * 0.04));
        const n = listings.length;
        listings.push({
          sku: `${family.prefix}-${si + 1}${String.fromCharCode(65 + vi)}`,
          title: family.title(variant, size),
          description: family.description,
          category: family.category,
          categoryId: "",
          unit: family.unit,
          currency: "EUR",
          listPrice: euros(price),
          minOrderQuantity: String(family.moq),
          // Every seventh listing is out of stock, so the "in stock" facet has two sides.
          stock: String(n % 7 === 3 ? 0 : 40 + ((n * 37) % 900)),
          leadTimeDays: String(family.leadTimeDays + (vi % 3)),
          attributes: Object.entries(family.attributes(variant, size))
            .map(([k, v]) => `${k}=${v}`)
            .join(";"),
          tiers: `${family.moq * 5}=${euros(Math.round(price * 0.95))};${family.moq * 20}=${euros(Math.round(price * 0.88))}`,
          visibility: "everyone",
          ...(n % 23 === 5 ? { visibility: "groups", groups: [group] } : {}),
          ...(n % 31 === 7 ? { draft: true } : {}),
        });
      });
    });
  }
  return listings;
}

export const DEMO_CATALOGUE: Record<"Médina Fournitures" | "Rif Emballages", DemoListing[]> = {
  "Médina Fournitures": expand(MEDINA, DEMO_GROUPS.medina.name),
  "Rif Emballages": expand(RIF, DEMO_GROUPS.rif.name),
};

/** Atlas Industrie's contract with Médina: paper at a negotiated price, 1 year from the seed. */
export const DEMO_CONTRACT = {
  seller: "Médina Fournitures",
  buyer: "Atlas Industrie",
  name: "Contrat Atlas Industrie 2026",
  /** SKU → [minQuantity, unit price][] */
  entries: {
    "PAP-A4-2A": [
      [1, "3.49"],
      [50, "3.19"],
    ],
    "PAP-A4-2C": [[1, "3.39"]],
    "PAP-A4-1A": [[1, "3.29"]],
    "ENV-1A": [[1, "15.90"]],
    "CHS-1A": [[1, "159.00"]],
  } as Record<string, [number, string][]>,
} as const;
