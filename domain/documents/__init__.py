"""Party documents (CPF, CNPJ, foreign tax ids) and Brazilian address codes (CEP, UF, IBGE)."""
