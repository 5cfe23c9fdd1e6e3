"""Vocabulary for realistic demo data: Brazilian names, companies and municipalities (IBGE codes, CEP ranges)."""

# (IBGE code, municipality, UF, first CEP of its range): from shared/reference/ibge_sample.csv.
CITIES = [
    ("3550308", "São Paulo", "SP", "01000"), ("3304557", "Rio de Janeiro", "RJ", "20000"),
    ("3106200", "Belo Horizonte", "MG", "30000"), ("4106902", "Curitiba", "PR", "80000"),
    ("4314902", "Porto Alegre", "RS", "90000"), ("2927408", "Salvador", "BA", "40000"),
    ("2611606", "Recife", "PE", "50000"), ("2304400", "Fortaleza", "CE", "60000"),
    ("5300108", "Brasília", "DF", "70000"), ("5208707", "Goiânia", "GO", "74000"),
    ("4205407", "Florianópolis", "SC", "88000"), ("1302603", "Manaus", "AM", "69000"),
    ("1501402", "Belém", "PA", "66000"), ("3509502", "Campinas", "SP", "13000"),
    ("3518800", "Guarulhos", "SP", "07000"), ("4209102", "Joinville", "SC", "89200"),
    ("3170206", "Uberlândia", "MG", "38400"), ("3205309", "Vitória", "ES", "29000"),
    ("2408102", "Natal", "RN", "59000"), ("2211001", "Teresina", "PI", "64000"),
    ("5103403", "Cuiabá", "MT", "78000"), ("5002704", "Campo Grande", "MS", "79000"),
    ("2704302", "Maceió", "AL", "57000"), ("2800308", "Aracaju", "SE", "49000"),
    ("2507507", "João Pessoa", "PB", "58000"), ("2111300", "São Luís", "MA", "65000"),
    ("3545803", "Santa Bárbara d'Oeste", "SP", "13450"), ("2201903", "Bom Jesus", "PI", "64900"),
    ("4302303", "Bom Jesus", "RS", "95290"), ("3515004", "Embu das Artes", "SP", "06800"),
]  # fmt: skip

FIRST_NAMES = [
    "Ana", "Beatriz", "Bruno", "Camila", "Carlos", "Daniela", "Eduardo", "Fernanda", "Gabriel", "Helena", "Igor",
    "Juliana", "João", "Larissa", "Lucas", "Mariana", "Mateus", "Natália", "Otávio", "Paula", "Rafael", "Renata",
    "Sérgio", "Tatiana", "Thiago", "Vanessa", "Vinícius", "Yasmin", "Áurea", "Conceição",
]  # fmt: skip
LAST_NAMES = [
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes", "Costa",
    "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes", "Vieira", "Barbosa", "Araújo",
    "Conceição", "Nogueira", "Teixeira", "Moreira", "Cavalcanti", "Brandão", "Magalhães",
]  # fmt: skip
COMPANY_WORDS = [
    "Alfa", "Atlântico", "Aurora", "Boa Vista", "Cerrado", "Cristal", "Delta", "Horizonte", "Ipê", "Jequitibá",
    "Litoral", "Mantiqueira", "Nordeste", "Oeste", "Pampa", "Paraná", "Pioneira", "Primavera", "Serra Azul",
    "Sol Nascente", "Tropical", "Vale Verde", "Veredas", "Xingu",
]  # fmt: skip
COMPANY_KINDS = [
    "Tecnologia", "Logística", "Engenharia", "Comércio de Alimentos", "Serviços Médicos", "Consultoria",
    "Transportes", "Educação", "Construtora", "Distribuidora", "Agropecuária", "Software", "Contabilidade",
]  # fmt: skip
COMPANY_SUFFIXES = ["Ltda", "S.A.", "ME", "EIRELI", "Ltda", "Ltda"]
STREETS = [
    "Av. Paulista", "Rua da Consolação", "Av. Rio Branco", "Rua XV de Novembro", "Av. Sete de Setembro",
    "Rua das Flores", "Av. Afonso Pena", "Rua Augusta", "Av. Boa Viagem", "Rua Marechal Deodoro",
]  # fmt: skip
DISTRICTS = ["Centro", "Bela Vista", "Jardins", "Boa Viagem", "Savassi", "Batel", "Moinhos de Vento", "Pituba"]
TAGS = ["vip", "atacado", "varejo", "governo", "startup", "parceiro", "exportador", "saude", "educacao"]
ACCOUNT_NAMES = ["Matriz", "Filial RJ", "Financeiro", "Projeto Expansão", "Filial Sul"]
