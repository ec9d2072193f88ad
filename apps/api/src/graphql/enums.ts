import { registerEnumType } from '@nestjs/graphql';

/**
 * GraphQL enums whose values are the domain's own string values, so no
 * mapping layer can drift between the API and the machine.
 */
export enum OrderCategoryEnum {
  NINETY_EIGHT_POTENTIAL = 'NINETY_EIGHT_POTENTIAL',
  COMMON_NEED = 'COMMON_NEED',
  MUNICIPALITY_SPECIFIC = 'MUNICIPALITY_SPECIFIC',
}
registerEnumType(OrderCategoryEnum, {
  name: 'OrderCategory',
  description: "Who negotiates, buys and pays (the deck's categorisation).",
  valuesMap: {
    NINETY_EIGHT_POTENTIAL: {
      description: 'All 98 municipalities, one system supplier: KOMBIT negotiates, buys and pays.',
    },
    COMMON_NEED: {
      description: 'Common need, several system suppliers: KOMBIT negotiates, municipalities buy and pay.',
    },
    MUNICIPALITY_SPECIFIC: {
      description: 'Municipality-specific: the municipality negotiates, buys and pays.',
    },
  },
});

export enum PartyEnum {
  SUPPLIER = 'SUPPLIER',
  COORDINATORS = 'COORDINATORS',
  PROJECT = 'PROJECT',
  MUNICIPALITY = 'MUNICIPALITY',
  NOBODY = 'NOBODY',
}
registerEnumType(PartyEnum, { name: 'Party', description: 'Who must act next on an order.' });

export enum ResponsibleOrganisationEnum {
  KOMBIT = 'KOMBIT',
  MUNICIPALITIES = 'MUNICIPALITIES',
  MUNICIPALITY = 'MUNICIPALITY',
}
registerEnumType(ResponsibleOrganisationEnum, { name: 'ResponsibleOrganisation' });

export enum RequestStatusEnum {
  SUBMITTED = 'SUBMITTED',
  CHANGES_REQUESTED = 'CHANGES_REQUESTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(RequestStatusEnum, { name: 'RequestStatus' });

export enum FirmnessEnum {
  FIRM = 'FIRM',
  TENTATIVE = 'TENTATIVE',
}
registerEnumType(FirmnessEnum, {
  name: 'Firmness',
  description: 'How sure the project is that it needs the interface ("?" in the playbook list is TENTATIVE).',
});

export enum MatrixMarkEnum {
  FIRM = 'FIRM',
  TENTATIVE = 'TENTATIVE',
  NONE = 'NONE',
}
registerEnumType(MatrixMarkEnum, { name: 'MatrixMark' });

export enum ContactLanguageEnum {
  da = 'da',
  en = 'en',
}
registerEnumType(ContactLanguageEnum, { name: 'ContactLanguage' });
