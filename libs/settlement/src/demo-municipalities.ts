/**
 * The 98 Danish municipalities with their official municipality codes and
 * names (public facts; Christiansø, code 411, is not a municipality and is
 * left out). The inhabitants are APPROXIMATE round figures for demonstration
 * only (close to Statistics Denmark's recent counts, but not copied from any
 * table): import the real population figure for a year with
 * importMunicipalities before billing anyone.
 */
export interface DemoMunicipality {
  readonly code: string;
  readonly name: string;
  /** Approximate, for demonstration only. */
  readonly approximateInhabitants: number;
}

export const DEMO_INHABITANTS_ARE_APPROXIMATE = true;

export const DEMO_MUNICIPALITIES: readonly DemoMunicipality[] = [
  { code: '101', name: 'København', approximateInhabitants: 660000 },
  { code: '147', name: 'Frederiksberg', approximateInhabitants: 105000 },
  { code: '151', name: 'Ballerup', approximateInhabitants: 52000 },
  { code: '153', name: 'Brøndby', approximateInhabitants: 39000 },
  { code: '155', name: 'Dragør', approximateInhabitants: 15000 },
  { code: '157', name: 'Gentofte', approximateInhabitants: 75000 },
  { code: '159', name: 'Gladsaxe', approximateInhabitants: 70000 },
  { code: '161', name: 'Glostrup', approximateInhabitants: 24000 },
  { code: '163', name: 'Herlev', approximateInhabitants: 30000 },
  { code: '165', name: 'Albertslund', approximateInhabitants: 28000 },
  { code: '167', name: 'Hvidovre', approximateInhabitants: 54000 },
  { code: '169', name: 'Høje-Taastrup', approximateInhabitants: 56000 },
  { code: '173', name: 'Lyngby-Taarbæk', approximateInhabitants: 57000 },
  { code: '175', name: 'Rødovre', approximateInhabitants: 41000 },
  { code: '183', name: 'Ishøj', approximateInhabitants: 24000 },
  { code: '185', name: 'Tårnby', approximateInhabitants: 44000 },
  { code: '187', name: 'Vallensbæk', approximateInhabitants: 17000 },
  { code: '190', name: 'Furesø', approximateInhabitants: 41000 },
  { code: '201', name: 'Allerød', approximateInhabitants: 26000 },
  { code: '210', name: 'Fredensborg', approximateInhabitants: 41000 },
  { code: '217', name: 'Helsingør', approximateInhabitants: 64000 },
  { code: '219', name: 'Hillerød', approximateInhabitants: 53000 },
  { code: '223', name: 'Hørsholm', approximateInhabitants: 25000 },
  { code: '230', name: 'Rudersdal', approximateInhabitants: 57000 },
  { code: '240', name: 'Egedal', approximateInhabitants: 44000 },
  { code: '250', name: 'Frederikssund', approximateInhabitants: 46000 },
  { code: '253', name: 'Greve', approximateInhabitants: 51000 },
  { code: '259', name: 'Køge', approximateInhabitants: 62000 },
  { code: '260', name: 'Halsnæs', approximateInhabitants: 31000 },
  { code: '265', name: 'Roskilde', approximateInhabitants: 90000 },
  { code: '269', name: 'Solrød', approximateInhabitants: 24000 },
  { code: '270', name: 'Gribskov', approximateInhabitants: 41000 },
  { code: '306', name: 'Odsherred', approximateInhabitants: 33000 },
  { code: '316', name: 'Holbæk', approximateInhabitants: 73000 },
  { code: '320', name: 'Faxe', approximateInhabitants: 37000 },
  { code: '326', name: 'Kalundborg', approximateInhabitants: 49000 },
  { code: '329', name: 'Ringsted', approximateInhabitants: 36000 },
  { code: '330', name: 'Slagelse', approximateInhabitants: 79000 },
  { code: '336', name: 'Stevns', approximateInhabitants: 23000 },
  { code: '340', name: 'Sorø', approximateInhabitants: 30000 },
  { code: '350', name: 'Lejre', approximateInhabitants: 29000 },
  { code: '360', name: 'Lolland', approximateInhabitants: 40000 },
  { code: '370', name: 'Næstved', approximateInhabitants: 84000 },
  { code: '376', name: 'Guldborgsund', approximateInhabitants: 60000 },
  { code: '390', name: 'Vordingborg', approximateInhabitants: 45000 },
  { code: '400', name: 'Bornholm', approximateInhabitants: 39000 },
  { code: '410', name: 'Middelfart', approximateInhabitants: 39000 },
  { code: '420', name: 'Assens', approximateInhabitants: 41000 },
  { code: '430', name: 'Faaborg-Midtfyn', approximateInhabitants: 51000 },
  { code: '440', name: 'Kerteminde', approximateInhabitants: 24000 },
  { code: '450', name: 'Nyborg', approximateInhabitants: 32000 },
  { code: '461', name: 'Odense', approximateInhabitants: 207000 },
  { code: '479', name: 'Svendborg', approximateInhabitants: 59000 },
  { code: '480', name: 'Nordfyns', approximateInhabitants: 29000 },
  { code: '482', name: 'Langeland', approximateInhabitants: 12000 },
  { code: '492', name: 'Ærø', approximateInhabitants: 6000 },
  { code: '510', name: 'Haderslev', approximateInhabitants: 55000 },
  { code: '530', name: 'Billund', approximateInhabitants: 27000 },
  { code: '540', name: 'Sønderborg', approximateInhabitants: 74000 },
  { code: '550', name: 'Tønder', approximateInhabitants: 37000 },
  { code: '561', name: 'Esbjerg', approximateInhabitants: 115000 },
  { code: '563', name: 'Fanø', approximateInhabitants: 3500 },
  { code: '573', name: 'Varde', approximateInhabitants: 50000 },
  { code: '575', name: 'Vejen', approximateInhabitants: 43000 },
  { code: '580', name: 'Aabenraa', approximateInhabitants: 58000 },
  { code: '607', name: 'Fredericia', approximateInhabitants: 52000 },
  { code: '615', name: 'Horsens', approximateInhabitants: 99000 },
  { code: '621', name: 'Kolding', approximateInhabitants: 95000 },
  { code: '630', name: 'Vejle', approximateInhabitants: 120000 },
  { code: '657', name: 'Herning', approximateInhabitants: 90000 },
  { code: '661', name: 'Holstebro', approximateInhabitants: 59000 },
  { code: '665', name: 'Lemvig', approximateInhabitants: 19000 },
  { code: '671', name: 'Struer', approximateInhabitants: 21000 },
  { code: '706', name: 'Syddjurs', approximateInhabitants: 43000 },
  { code: '707', name: 'Norddjurs', approximateInhabitants: 37000 },
  { code: '710', name: 'Favrskov', approximateInhabitants: 49000 },
  { code: '727', name: 'Odder', approximateInhabitants: 23000 },
  { code: '730', name: 'Randers', approximateInhabitants: 99000 },
  { code: '740', name: 'Silkeborg', approximateInhabitants: 100000 },
  { code: '741', name: 'Samsø', approximateInhabitants: 3700 },
  { code: '746', name: 'Skanderborg', approximateInhabitants: 64000 },
  { code: '751', name: 'Aarhus', approximateInhabitants: 370000 },
  { code: '756', name: 'Ikast-Brande', approximateInhabitants: 42000 },
  { code: '760', name: 'Ringkøbing-Skjern', approximateInhabitants: 56000 },
  { code: '766', name: 'Hedensted', approximateInhabitants: 47000 },
  { code: '773', name: 'Morsø', approximateInhabitants: 20000 },
  { code: '779', name: 'Skive', approximateInhabitants: 46000 },
  { code: '787', name: 'Thisted', approximateInhabitants: 43000 },
  { code: '791', name: 'Viborg', approximateInhabitants: 98000 },
  { code: '810', name: 'Brønderslev', approximateInhabitants: 36000 },
  { code: '813', name: 'Frederikshavn', approximateInhabitants: 58000 },
  { code: '820', name: 'Vesthimmerlands', approximateInhabitants: 36000 },
  { code: '825', name: 'Læsø', approximateInhabitants: 1800 },
  { code: '840', name: 'Rebild', approximateInhabitants: 30000 },
  { code: '846', name: 'Mariagerfjord', approximateInhabitants: 42000 },
  { code: '849', name: 'Jammerbugt', approximateInhabitants: 38000 },
  { code: '851', name: 'Aalborg', approximateInhabitants: 222000 },
  { code: '860', name: 'Hjørring', approximateInhabitants: 64000 },
];

/** The demo municipalities as an importMunicipalities CSV (code,name,inhabitants). */
export function demoMunicipalitiesCsv(): string {
  return `code,name,inhabitants\n${DEMO_MUNICIPALITIES.map((m) => `${m.code},${m.name},${m.approximateInhabitants}`).join('\n')}\n`;
}
