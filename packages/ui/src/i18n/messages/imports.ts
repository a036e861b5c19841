/**
 * Messages of the catalogue area "imports" (English and French side by side, so that a key added in
 * one language cannot be forgotten in the other: the French record is typed against the English keys).
 *
 * The keys are produced by services/src/catalogue/import and keep their exact names. A row's
 * field problems (listPrice.invalid, tiers.quantity_invalid...) are the listing form's and live in
 * listings.ts; only what a file can get wrong is here.
 */
export const importsEn = {
  // The uploaded file (startCatalogueImport)
  "file.required": "Choose a CSV file to import.",
  "file.empty": "This file is empty.",
  "file.too_large": "This file is larger than 10 MB. Split it into several files and import them one after the other.",
  "file.not_csv": "This is not a catalogue CSV file. Save your sheet as \"CSV UTF-8\", with the column names on the first line.",
  "file.no_rows": "This file has the column names but no listing under them.",

  // The import as a whole
  "import.status.queued": "Waiting to start",
  "import.status.running": "Importing",
  "import.status.succeeded": "Finished",
  "import.status.failed": "Failed",
  "import.columns_invalid": "The first line of the file does not have the expected column names: nothing was imported. Fix the columns listed below and import the file again.",
  "import.interrupted": "The import was interrupted. It starts again by itself where it stopped; if it stays like this, import the file again: rows already imported are left as they are.",
  "import.page_invalid": "This page number is not valid.",

  // Column names as the seller sees them (the file's header keeps the English names)
  "import.column.sku": "SKU",
  "import.column.title": "Title",
  "import.column.description": "Description",
  "import.column.category": "Category",
  "import.column.unit": "Unit",
  "import.column.currency": "Currency",
  "import.column.list_price": "List price",
  "import.column.min_order_quantity": "Minimum order quantity",
  "import.column.stock": "Stock",
  "import.column.lead_time_days": "Lead time (days)",
  "import.column.tiers": "Price tiers",
  "import.column.attributes": "Attributes",
  "import.column.visibility": "Visibility",
  "import.column.status": "Status",

  // The header (line 1)
  "column.missing": "This column is missing. Every column of the template is needed, in any order.",
  "column.unknown": "This column is not one of ours. Remove it or correct its name.",
  "column.duplicate": "This column appears more than once.",

  // A row's problems that only a file can have
  "row.field_count": "This row does not have as many cells as the first line has columns. Check for a stray comma or a missing quote.",
  "row.quote_invalid": "A double quote is misplaced in this row. A cell that contains quotes must be enclosed in quotes, each inner quote doubled.",
  "row.quote_unterminated": "A quoted cell opens on this line and is never closed: the rest of the file could not be read.",
  "sku.duplicate_in_file": "This SKU appears on several rows of the file. Keep one row per SKU: none of them was imported.",
  "category.unknown_slug": "Unknown category. Use a category code such as packaging-boxes.",
  "visibility.unknown_group": "One of these customer groups does not exist. Write everyone, or the names of your groups separated by |.",
  "status.invalid": "Unknown status. Write draft, published or unlisted, or leave the cell empty to keep the current status.",
  "status.block_not_allowed": "Only Souk's moderators can block a listing.",
  "status.seller_not_active": "Only an approved, active seller can publish listings. Leave the status empty or write draft.",
  "status.transition_invalid": "This status change is not possible: a draft is published before it can be unlisted, and a listing never goes back to draft.",
  "listing.blocked_status": "This listing is blocked by Souk: an import cannot change its status. Leave the cell empty or write blocked.",
} as const;

export const importsFr: Record<keyof typeof importsEn, string> = {
  "file.required": "Choisissez un fichier CSV à importer.",
  "file.empty": "Ce fichier est vide.",
  "file.too_large": "Ce fichier dépasse 10 Mo. Découpez-le en plusieurs fichiers et importez-les l'un après l'autre.",
  "file.not_csv": "Ce fichier n'est pas un CSV de catalogue. Enregistrez votre feuille au format « CSV UTF-8 », avec les noms de colonnes sur la première ligne.",
  "file.no_rows": "Ce fichier contient les noms de colonnes mais aucune annonce en dessous.",

  "import.status.queued": "En attente",
  "import.status.running": "Import en cours",
  "import.status.succeeded": "Terminé",
  "import.status.failed": "Échec",
  "import.columns_invalid": "La première ligne du fichier n'a pas les noms de colonnes attendus : rien n'a été importé. Corrigez les colonnes indiquées ci-dessous puis importez de nouveau le fichier.",
  "import.interrupted": "L'import a été interrompu. Il reprend de lui-même là où il s'est arrêté ; s'il reste ainsi, importez de nouveau le fichier : les lignes déjà importées restent telles quelles.",
  "import.page_invalid": "Ce numéro de page n'est pas valide.",

  "import.column.sku": "Référence (SKU)",
  "import.column.title": "Titre",
  "import.column.description": "Description",
  "import.column.category": "Catégorie",
  "import.column.unit": "Unité",
  "import.column.currency": "Devise",
  "import.column.list_price": "Prix catalogue",
  "import.column.min_order_quantity": "Quantité minimale de commande",
  "import.column.stock": "Stock",
  "import.column.lead_time_days": "Délai (jours)",
  "import.column.tiers": "Prix dégressifs",
  "import.column.attributes": "Caractéristiques",
  "import.column.visibility": "Visibilité",
  "import.column.status": "Statut",

  "column.missing": "Cette colonne manque. Toutes les colonnes du modèle sont nécessaires, dans n'importe quel ordre.",
  "column.unknown": "Cette colonne n'est pas reconnue. Supprimez-la ou corrigez son nom.",
  "column.duplicate": "Cette colonne apparaît plusieurs fois.",

  "row.field_count": "Cette ligne n'a pas autant de cellules que la première ligne a de colonnes. Cherchez une virgule en trop ou un guillemet manquant.",
  "row.quote_invalid": "Un guillemet est mal placé sur cette ligne. Une cellule qui contient des guillemets doit être entourée de guillemets, chaque guillemet intérieur doublé.",
  "row.quote_unterminated": "Une cellule entre guillemets s'ouvre sur cette ligne et n'est jamais fermée : la suite du fichier n'a pas pu être lue.",
  "sku.duplicate_in_file": "Cette référence figure sur plusieurs lignes du fichier. Gardez une seule ligne par référence : aucune n'a été importée.",
  "category.unknown_slug": "Catégorie inconnue. Utilisez un code de catégorie tel que packaging-boxes.",
  "visibility.unknown_group": "L'un de ces groupes de clients n'existe pas. Écrivez everyone, ou les noms de vos groupes séparés par |.",
  "status.invalid": "Statut inconnu. Écrivez draft, published ou unlisted, ou laissez la cellule vide pour garder le statut actuel.",
  "status.block_not_allowed": "Seuls les modérateurs de Souk peuvent bloquer une annonce.",
  "status.seller_not_active": "Seul un vendeur approuvé et actif peut publier des annonces. Laissez le statut vide ou écrivez draft.",
  "status.transition_invalid": "Ce changement de statut n'est pas possible : un brouillon doit être publié avant d'être retiré, et une annonce ne redevient jamais un brouillon.",
  "listing.blocked_status": "Cette annonce est bloquée par Souk : un import ne peut pas changer son statut. Laissez la cellule vide ou écrivez blocked.",
};
